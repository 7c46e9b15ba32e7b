#!/usr/bin/env node
// Times a developer's clean build of the example monorepo (//:golib //cprog //pyprog, host) from
// a team's shared HTTP cache (init.remoteCache, nginx on 127.0.0.1, filled by CI's
// --config=ci build of another checkout) against a clean local build of the same targets in the
// same checkout, in interleaved runs after `bazel clean`, with a warm Bazel server. The
// developer's checkout and env copy sit at other paths, with another PATH, HOME and output root.
// Prints the median ratio. Needs `npm run build`, Bazel 4.2.3 and nginx (npm test installs them).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { buildStandInPrefix } from "../scripts/stand-in-prefix.mjs";
import { offlineRepositories, processCounts } from "../test/support/bazel-offline.mjs";
import { startHttpCache } from "../test/support/http-cache.mjs";
import { printRow } from "./_table.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "conda-bazel.cjs");
const TARGETS = ["//:golib", "//cprog", "//pyprog"];
const RUNS = 3;
const work = mkdtempSync(join(tmpdir(), "conda-bazel-bench-remote-cache-"));

function run(cmd, args, options) {
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${result.stderr.slice(-3000)}`);
  return { ms, result };
}

const copyCheckout = (from, to) => cpSync(from, to, { recursive: true, filter: (src) => !/\/bazel-[^/]*$|\/dist$|\.bazelrc\.conda$/.test(src) });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cache = await startHttpCache(join(work, "nginx"));
try {
  const probeCache = join(work, "probe-cache");
  const cliEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CONDA_BAZEL_CACHE_DIR: probeCache };
  const offline = offlineRepositories(join(work, "offline"));
  const bazel = (ws, root, env) => (command, args = []) => run("bazel", [`--output_user_root=${root}`, command, ...(command === "shutdown" ? [] : offline), ...args], { cwd: ws, env });

  const prefix = join(work, "env");
  buildStandInPrefix(prefix, {});
  const ciWs = join(work, "ci", "monorepo");
  copyCheckout(join(ROOT, "examples", "monorepo"), ciWs);
  const configFile = join(ciWs, "conda-bazel.yaml");
  const config = parse(readFileSync(configFile, "utf8"));
  writeFileSync(configFile, stringify({ ...config, init: { ...config.init, remoteCache: cache.url } }));
  run(process.execPath, [BIN, "init", "--prefix", prefix], { cwd: ciWs, env: cliEnv });
  const ci = bazel(ciWs, join(work, "ci-root"), cliEnv);
  ci("build", ["--config=ci", ...TARGETS]);
  ci("shutdown");
  console.log(`CI filled the cache: ${cache.entries()} entries`);

  const devWs = join(work, "dev", "monorepo");
  copyCheckout(ciWs, devWs);
  const devPrefix = join(work, "dev", "conda envs", "env");
  cpSync(prefix, devPrefix, { recursive: true, verbatimSymlinks: true });
  run(process.execPath, [BIN, "init", "--prefix", devPrefix], { cwd: devWs, env: cliEnv });
  const home = join(work, "dev", "home");
  mkdirSync(home, { recursive: true });
  const dev = bazel(devWs, join(work, "dev", "bazel-root"), { PATH: `${home}/bin:/usr/local/bin:/usr/bin:/bin`, HOME: home });
  // Server start, @conda's fetch and the analysis, outside the timings.
  dev("build", ["--nobuild", ...TARGETS]);

  const local = [];
  const remote = [];
  let counts = {};
  for (let i = 0; i < RUNS; i++) {
    dev("clean");
    local.push(dev("build", ["--remote_cache=", ...TARGETS]).ms);
    dev("clean");
    const hit = dev("build", TARGETS);
    remote.push(hit.ms);
    if (i === 0) counts = processCounts(hit.result.stderr);
    if (i === 0) console.log(`developer's build from the cache: ${JSON.stringify(counts)}`);
  }
  dev("shutdown");
  const l = median(local);
  const r = median(remote);
  console.log(`clean local build             median ${(l / 1000).toFixed(1)} s  (${local.map((ms) => (ms / 1000).toFixed(1)).join(", ")})`);
  console.log(`clean build from remote cache median ${(r / 1000).toFixed(1)} s  (${remote.map((ms) => (ms / 1000).toFixed(1)).join(", ")})`);
  console.log(`remote cache / local: ratio ${(r / l).toFixed(2)} (${(l / r).toFixed(1)}x faster)`);
  const hits = counts["remote cache hit"] ?? 0;
  const actions = Object.entries(counts).filter(([kind]) => kind !== "internal").reduce((sum, [, n]) => sum + n, 0);
  printRow(
    "remote-cache.mjs",
    `a developer's clean build of \`${TARGETS.join(" ")}\` from the shared HTTP cache (nginx, filled by CI's \`--config=ci\` build of another checkout) vs a clean local build of the same targets, warm server, ${RUNS} interleaved runs`,
    "—",
    `${(r / l).toFixed(2)} (${(r / 1000).toFixed(1)} s vs ${(l / 1000).toFixed(1)} s; ${hits} of ${actions} actions hit)`,
  );
} finally {
  await cache.stop();
  rmSync(work, { recursive: true, force: true });
}
