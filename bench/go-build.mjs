#!/usr/bin/env node
// go-build against its baselines, side by side, interleaved, warm Go cache; prints median ratios.
//  (a) `conda-bazel go-build` for one target vs the identical raw `go build` (same environment,
//      same arguments, composed by the same function): target <= 1.05 plus one Node start-up.
//  (b) three targets with --jobs 1 vs the default pool: target <= 0.75 on 2 cores.
// Needs the built CLI (npm run build) and the real tools (node scripts/ensure-deps.mjs).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildStandInPrefix } from "../scripts/stand-in-prefix.mjs";
import { discoverEnvironment } from "../lib/conda/discover.js";
import { goBuildArgs } from "../lib/go/command.js";
import { goBuildEnvironment } from "../lib/go/environment.js";
import { findTarget, sharedLibraryName } from "../lib/targets.js";
import { printRow } from "./_table.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const golib = join(root, "examples", "monorepo", "golib");
const bin = join(root, "bin", "conda-bazel.cjs");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const work = mkdtempSync(join(tmpdir(), "bench-go-build-"));
const { prefix } = buildStandInPrefix(join(work, "env"), { subdirs: ["linux-64", "linux-aarch64", "linux-ppc64le"], python: false });
const cacheDir = join(work, "cache");
const cliEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CONDA_BAZEL_CACHE_DIR: cacheDir };

function timed(command, args, options) {
  const start = performance.now();
  const result = spawnSync(command, args, { stdio: ["ignore", "ignore", "pipe"], ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr}`);
  return (performance.now() - start) / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cli = (args) => timed(process.execPath, [bin, "go-build", golib, "--prefix", prefix, ...args], { env: cliEnv, cwd: work });

// (a) The raw build gets exactly what the driver would run: discovery, the same environment
// function, the same arguments; only the driver's own work (start-up, discovery, temp dir,
// rename, hashing, manifest) is missing.
const target = findTarget("aarch64-unknown-linux-gnu");
const env = await discoverEnvironment({ prefix, targets: [target], env: cliEnv });
const toolchain = env.toolchains[0];
const goCache = join(cacheDir, "go");
const rawEnv = goBuildEnvironment({
  env,
  toolchain,
  cc: toolchain.cc,
  cxx: toolchain.cxx,
  mapPath: (p) => p,
  dirs: { gocache: join(goCache, "build"), gopath: join(goCache, "path"), home: goCache },
});
const library = sharedLibraryName(target, "golib");
const rawArgs = goBuildArgs(target, join(work, "raw", library), library, { ldflags: undefined, rest: [] });
const raw = () => timed(env.go.go, rawArgs, { env: rawEnv, cwd: golib });
const driver = () => cli(["-t", target.triplet, "--out", join(work, "dist-a")]);
const nodeStart = () => timed(process.execPath, ["-e", "0"], {});

raw();
driver();
const a = { raw: [], driver: [], node: [] };
for (let i = 0; i < ROUNDS; i++) {
  a.driver.push(driver());
  a.raw.push(raw());
  a.node.push(nodeStart());
}
const ratioA = median(a.driver) / median(a.raw);
const allowedA = 1.05 + median(a.node) / median(a.raw);

// (b) Three targets, one at a time vs the default pool.
const three = ["-t", "x86_64-unknown-linux-gnu,aarch64-unknown-linux-gnu,powerpc64le-unknown-linux-gnu"];
const serial = () => cli([...three, "--jobs", "1", "--out", join(work, "dist-b1")]);
const pooled = () => cli([...three, "--out", join(work, "dist-b2")]);
serial();
pooled();
const b = { serial: [], pooled: [] };
for (let i = 0; i < ROUNDS; i++) {
  b.pooled.push(pooled());
  b.serial.push(serial());
}
const ratioB = median(b.pooled) / median(b.serial);

const goVersion = execFileSync(env.go.go, ["env", "GOVERSION"], { env: rawEnv, encoding: "utf8" }).trim();
const s = (x) => `${x.toFixed(2)} s`;
process.stdout.write(
  [
    `go-build benchmark: ${ROUNDS} interleaved rounds, warm cache, ${availableParallelism()} cores, ${goVersion}`,
    `(a) one target (${target.triplet}): go-build ${s(median(a.driver))} vs raw go build ${s(median(a.raw))}; node -e 0 ${s(median(a.node))}`,
    `    median ratio ${ratioA.toFixed(3)} (target <= ${allowedA.toFixed(3)} = 1.05 + one Node start-up) ${ratioA <= allowedA ? "OK" : "MISSED"}`,
    `(b) three targets: default pool ${s(median(b.pooled))} vs --jobs 1 ${s(median(b.serial))}`,
    `    median ratio ${ratioB.toFixed(3)} (target <= 0.75) ${ratioB <= 0.75 ? "OK" : "MISSED"}`,
    "",
  ].join("\n"),
);
printRow(
  "go-build.mjs",
  "`go-build` for one target vs the identical raw `go build`, warm; three targets with `--jobs 1` vs the default pool",
  "≤ 1.05 plus one Node start-up; ≤ 0.75",
  `${ratioA.toFixed(2)} (allowed ${allowedA.toFixed(2)}); ${ratioB.toFixed(2)}`,
);
rmSync(work, { recursive: true, force: true });
