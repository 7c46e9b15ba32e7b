#!/usr/bin/env node
// Times `conda-bazel init` on a test workspace of a 3-target env, a first run (fresh workspace,
// warm compiler probe cache) and a no-change re-run, side by side with `node -e 0` (the floor of
// any Node CLI); target: the no-change re-run within 2x of the floor. Also measures the Bazel
// cache-portability hit ratio: a second checkout and a copy of the prefix at other paths, built
// with another PATH, HOME and output root against the first build's --disk_cache. Prints median
// ratios and its row of the README's table. Needs `npm run build` and the real tools (npm test
// installs them).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildStandInPrefix } from "../scripts/stand-in-prefix.mjs";
import { offlineRepositories, processCounts, writeWorkspace } from "../test/support/bazel-offline.mjs";
import { printRow } from "./_table.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "conda-bazel.cjs");
const RUNS = 9;
const work = mkdtempSync(join(tmpdir(), "conda-bazel-bench-init-"));
const probeCache = join(work, "probe-cache");
const env = { PATH: process.env.PATH, HOME: process.env.HOME, CONDA_BAZEL_CACHE_DIR: probeCache };

/** CPU time (user + system, in clock ticks) of this process's waited-for children so far, from
 * /proc: a child's own and that of the children it waited for (init's buildifier). */
function childTicks() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[13]) + Number(fields[14]);
}

function timed(cmd, args, options = {}) {
  const [start, ticks] = [process.hrtime.bigint(), childTicks()];
  const result = spawnSync(cmd, args, { env, encoding: "utf8", ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${result.stderr}`);
  return { ms, cpu: childTicks() - ticks, result };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const prefix = join(work, "env");
  buildStandInPrefix(prefix, { subdirs: ["linux-64", "linux-aarch64", "linux-ppc64le"] });
  const init = (ws, p = prefix) => timed(process.execPath, [BIN, "init", "--prefix", p, "--workspace", ws]);

  // Warm the probe cache once: a user's first init after `conda install` pays for the probes once.
  const warm = join(work, "warm");
  mkdirSync(warm);
  writeFileSync(join(warm, "WORKSPACE"), "");
  init(warm);

  const floor = [];
  const first = [];
  const again = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(timed(process.execPath, ["-e", "0"]));
    const ws = join(work, `ws-${i}`);
    mkdirSync(ws);
    writeFileSync(join(ws, "WORKSPACE"), "");
    first.push(init(ws));
    again.push(init(ws));
  }
  // Wall clock, median; and CPU time summed over the runs (the clock ticks are too coarse for one
  // run), which a busy machine distorts less.
  const f = median(floor.map((r) => r.ms));
  const cpu = (runs) => runs.reduce((sum, r) => sum + r.cpu, 0);
  const [firstRatio, againRatio, againCpu] = [median(first.map((r) => r.ms)) / f, median(again.map((r) => r.ms)) / f, cpu(again) / cpu(floor)];
  console.log(`node -e 0                      median ${f.toFixed(0)} ms`);
  console.log(`init, first run (fresh ws)     median ${median(first.map((r) => r.ms)).toFixed(0)} ms  ratio ${firstRatio.toFixed(2)}x`);
  console.log(`init, no-change re-run         median ${median(again.map((r) => r.ms)).toFixed(0)} ms  ratio ${againRatio.toFixed(2)}x (target <= 2) ${againRatio <= 2 ? "ok" : "MISSED"}`);
  console.log(`init, no-change re-run, CPU time ratio ${againCpu.toFixed(2)}x (user + system, init and buildifier, summed over ${RUNS} runs)`);

  // Cache portability with real Bazel 4.2.3.
  const offline = offlineRepositories(join(work, "offline"));
  const diskCache = join(work, "disk-cache");
  const ws1 = join(work, "bazel-ws1");
  writeWorkspace(ws1);
  init(ws1);
  const prefix2 = join(work, "elsewhere", "env copy");
  cpSync(prefix, prefix2, { recursive: true, verbatimSymlinks: true });
  const ws2 = join(work, "elsewhere", "bazel-ws2");
  writeWorkspace(ws2);
  init(ws2, prefix2);
  const home2 = join(work, "home2");
  mkdirSync(home2);
  const machines = [
    { ws: ws1, root: join(work, "out1"), env },
    { ws: ws2, root: join(work, "out2"), env: { PATH: `${home2}:/usr/local/bin:/usr/bin:/bin`, HOME: home2 } },
  ];
  const totals = { hits: 0, executed: 0 };
  for (const [i, m] of machines.entries()) {
    for (const config of [["--config=aarch64-unknown-linux-gnu"], []]) {
      const { result } = timed("bazel", [`--output_user_root=${m.root}`, "build", ...offline, `--disk_cache=${diskCache}`, ...config, "//app:hello"], { cwd: m.ws, env: m.env });
      const counts = processCounts(result.stderr);
      if (i === 1) {
        for (const [kind, n] of Object.entries(counts)) {
          if (/cache hit/.test(kind)) totals.hits += n;
          else if (kind !== "internal") totals.executed += n;
        }
      }
      console.log(`bazel build ${i === 0 ? "checkout 1" : "checkout 2"} ${config[0] ?? "(host)"}: ${JSON.stringify(counts)}`);
    }
    spawnSync("bazel", [`--output_user_root=${m.root}`, "shutdown"], { cwd: m.ws, env: m.env });
  }
  const ratio = totals.hits / (totals.hits + totals.executed);
  console.log(`cache portability: ${totals.hits} of ${totals.hits + totals.executed} actions of checkout 2 from checkout 1's disk cache (hit ratio ${ratio.toFixed(2)})`);
  printRow(
    "init.mjs",
    "`init` (first run, no-change re-run) vs `node -e 0`, 3-target env, warm probe cache; Bazel disk-cache hits of a relocated checkout",
    "no-change re-run ≤ 2x",
    `${firstRatio.toFixed(2)}x and ${againRatio.toFixed(2)}x${againRatio <= 2 ? "" : " (missed)"} (CPU time ${againCpu.toFixed(2)}x); ${totals.hits} of ${totals.hits + totals.executed} hits`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
