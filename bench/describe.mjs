#!/usr/bin/env node
// `describe --json` (the callout Bazel runs at every fetch) against the Node floor `node -e 0`,
// side by side, interleaved, warm probe cache; prints median ratios.
//  (a) the stand-in prefix (4 compilers, Go, Python, 20 filler records);
//  (b) a large prefix: 600 records totalling over 100 MB.
// Targets: (a) and (b) within 2x of the floor; (b) no slower than (a) by more than 10%.
// Needs the built CLI (npm run build) and the real tools (node scripts/ensure-deps.mjs).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildStandInPrefix } from "../scripts/stand-in-prefix.mjs";
import { printRow } from "./_table.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "conda-bazel.cjs");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const RECORDS = 600;
const MIN_BYTES = 100 * 1024 * 1024;

const work = mkdtempSync(join(tmpdir(), "bench-describe-"));
try {
  const small = buildStandInPrefix(join(work, "small"), {}).prefix;
  // The stand-in's own records plus fillers make 600; each filler lists enough files that the
  // records total over 100 MB, like an env with big packages.
  const own = readdirSync(join(small, "conda-meta")).filter((f) => f.endsWith(".json")).length - 20;
  const large = buildStandInPrefix(join(work, "large"), { filler: RECORDS - own, fillerFileCount: 900 }).prefix;
  const records = readdirSync(join(large, "conda-meta")).filter((f) => f.endsWith(".json"));
  const bytes = records.reduce((sum, f) => sum + statSync(join(large, "conda-meta", f)).size, 0);
  if (records.length !== RECORDS || bytes < MIN_BYTES) throw new Error(`large prefix has ${records.length} records, ${bytes} bytes`);

  const env = { PATH: process.env.PATH, HOME: process.env.HOME, CONDA_BAZEL_CACHE_DIR: join(work, "cache") };
  const timed = (args) => {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], env, cwd: work });
    if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed:\n${result.stderr}`);
    return performance.now() - start;
  };
  const runs = {
    floor: () => timed(["-e", "0"]),
    small: () => timed([bin, "describe", "--json", "--prefix", small]),
    large: () => timed([bin, "describe", "--json", "--prefix", large]),
  };
  // Warm the probe cache (and the OS page cache) before measuring.
  runs.small();
  runs.large();
  const times = { floor: [], small: [], large: [] };
  for (let i = 0; i < ROUNDS; i++) for (const [name, run] of Object.entries(runs)) times[name].push(run());
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [floor, a, b] = [median(times.floor), median(times.small), median(times.large)];
  const line = (label, value, target) => `${label.padEnd(44)} ${value.toFixed(2)}  (target <= ${target})  ${value <= target ? "ok" : "MISSED"}`;
  process.stdout.write(
    [
      `describe --json, ${ROUNDS} interleaved rounds, warm probe cache; medians: node -e 0 ${floor.toFixed(0)} ms, (a) ${a.toFixed(0)} ms, (b) ${b.toFixed(0)} ms`,
      `(b) = ${records.length} records, ${(bytes / 1024 / 1024).toFixed(0)} MB`,
      line("(a) stand-in prefix / node floor", a / floor, 2),
      line("(b) large prefix / node floor", b / floor, 2),
      line("(b) / (a)", b / a, 1.1),
      "",
    ].join("\n"),
  );
  printRow(
    "describe.mjs",
    `\`describe --json\` vs \`node -e 0\`, on the stand-in prefix and on a ${records.length}-record, ${(bytes / 1024 / 1024).toFixed(0)} MB prefix, with a warm probe cache`,
    "both within 2x of the Node floor; large prefix within 10% of the small one",
    `${(a / floor).toFixed(2)}x and ${(b / floor).toFixed(2)}x; ${(b / a).toFixed(2)}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
