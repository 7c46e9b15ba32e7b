#!/usr/bin/env node
// go_c_shared_library against go-build, side by side in one run, for the host and aarch64, on
// the Go module of test/go/fixtures/gomod (a main package importing a package of the module and
// a vendored module). Prints median ratios:
//  (a) after a one-file edit in the imported package, `bazel build` of one library (warm server,
//      standard library already built) vs `conda-bazel go-build` of the same package with the
//      same edit and a warm Go cache, interleaved: target <= 2.
//  (b) the first build (after `bazel clean`, so the standard library is compiled too, in a server
//      that has fetched the repositories) of two libraries vs one: target <= 1.3, the standard
//      library being compiled once for both.
// Needs `npm run build` and the real tools (node scripts/ensure-deps.mjs).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildStandInPrefix } from "../scripts/stand-in-prefix.mjs";
import { offlineRepositories } from "../test/support/bazel-offline.mjs";
import { printRow } from "./_table.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "conda-bazel.cjs");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const EDIT_TARGET = 2;
const FIRST_BUILD_TARGET = 1.3;
// The ratio against its target, in the bench's own lines and in its table row.
const verdict = (ratio, target) => (ratio <= target ? "OK" : "MISSED");
const missed = (ratio, target) => (ratio <= target ? "" : " (missed)");
const TARGETS = { host: "x86_64-unknown-linux-gnu", aarch64: "aarch64-unknown-linux-gnu" };

const work = mkdtempSync(join(tmpdir(), "conda-bazel-bench-go-bazel-"));
const ws = join(work, "ws");
cpSync(join(ROOT, "test", "go", "fixtures", "gomod"), ws, { recursive: true });
const { prefix } = buildStandInPrefix(join(work, "env"), { subdirs: ["linux-64", "linux-aarch64"], python: false });
const cliEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CONDA_BAZEL_CACHE_DIR: join(work, "cache") };
const offline = offlineRepositories(join(work, "offline"));

function timed(cmd, args, options = {}) {
  const start = performance.now();
  const result = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: cliEnv, ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${result.stderr.slice(-3000)}`);
  return (performance.now() - start) / 1000;
}

const bazel = (command, args = []) => timed("bazel", [`--output_user_root=${join(work, "bazel-root")}`, command, ...(command === "shutdown" ? [] : offline), ...args], { cwd: ws });
const goBuild = (target) => timed(process.execPath, [BIN, "go-build", join(ws, "mod", "cmd", "greet"), "--prefix", prefix, "--target", target, "--out", join(work, "dist"), "--name", "greet"], { cwd: ws });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (x) => `${x.toFixed(2)} s`;

let edits = 0;
/** A new body for the imported package: a change that reaches the library's code. */
function edit() {
  edits++;
  writeFileSync(join(ws, "mod", "internal", "shout", "shout.go"), `package shout\n\nimport "strings"\n\nfunc Shout(s string) string { return strings.ToUpper(s) + "${"!".repeat(1 + (edits % 7))}" + "${edits}" }\n`);
}

timed(process.execPath, [BIN, "init", "--prefix", prefix, "--workspace", ws]);
const lines = [`go_c_shared_library vs go-build: ${ROUNDS} interleaved rounds, ${availableParallelism()} cores`];
const measured = { edit: [], first: [] };
try {
  for (const [name, target] of Object.entries(TARGETS)) {
    const config = name === "host" ? [] : [`--config=${target}`];
    // (b) first builds, the standard library included. One build first, not timed: the first
    // build in a server also starts it and fetches the repositories (@conda calls conda-bazel),
    // which would count against whichever build came first.
    bazel("build", [...config, "//:greet"]);
    bazel("clean");
    const one = bazel("build", [...config, "//:greet"]);
    bazel("clean");
    const two = bazel("build", [...config, "//:greet", "//:count"]);
    // (a) one-file edits, both warm.
    goBuild(target);
    const a = { bazel: [], goBuild: [] };
    for (let i = 0; i < ROUNDS; i++) {
      edit();
      a.bazel.push(bazel("build", [...config, "//:greet"]));
      edit();
      a.goBuild.push(goBuild(target));
    }
    const ratioA = median(a.bazel) / median(a.goBuild);
    const ratioB = two / one;
    measured.edit.push(`${name} ${ratioA.toFixed(2)}${missed(ratioA, EDIT_TARGET)} (${s(median(a.bazel))} vs ${s(median(a.goBuild))})`);
    measured.first.push(`${name} ${ratioB.toFixed(2)}${missed(ratioB, FIRST_BUILD_TARGET)}`);
    lines.push(
      `${name} (${target}):`,
      `  (a) one-file edit: bazel ${s(median(a.bazel))} vs go-build ${s(median(a.goBuild))}: ratio ${ratioA.toFixed(2)} (target <= ${EDIT_TARGET}) ${verdict(ratioA, EDIT_TARGET)}`,
      `  (b) first build: two libraries ${s(two)} vs one ${s(one)}: ratio ${ratioB.toFixed(2)} (target <= ${FIRST_BUILD_TARGET}) ${verdict(ratioB, FIRST_BUILD_TARGET)}`,
    );
  }
} finally {
  bazel("shutdown");
  process.stdout.write(`${lines.join("\n")}\n`);
  rmSync(work, { recursive: true, force: true });
}
printRow(
  "go-bazel.mjs",
  "`go_c_shared_library` vs `go-build` of the same package (test/go/fixtures/gomod), host and aarch64: a one-file edit in an imported package, both warm; the first build (after `bazel clean`, standard library included, in a server that has fetched the repositories) of two libraries vs one",
  `≤ ${EDIT_TARGET}; ≤ ${FIRST_BUILD_TARGET}`,
  `${measured.edit.join(", ")}; ${measured.first.join(", ")} (${ROUNDS} rounds)`,
);
