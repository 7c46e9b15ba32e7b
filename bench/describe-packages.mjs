#!/usr/bin/env node
// What listing the env's packages with C/C++ content (issue 11) costs the fetch: `describe --json`
// now against `describe --json` as it was before (a baseline CLI built from BENCH_BASELINE_REF,
// default the commit before packages were added), side by side, interleaved, on a large prefix
// (600 records, over 100 MB of records, zlib/libzlib/bzip2/libgcc among them). Warm: both with
// warm caches (the fetch after any other). Cold: the record-summary cache removed before each
// run, so every record is read (the first fetch after a `conda install`). Prints median ratios.
// Target: warm <= 1.5x the baseline. Needs the built CLI (npm run build) and git.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildStandInPrefix } from "../scripts/stand-in-prefix.mjs";
import { printRow } from "./_table.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BASELINE = process.env.BENCH_BASELINE_REF ?? "0952192";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const RECORDS = 600;
const WARM_TARGET = 1.5;

function must(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${result.stderr}`);
  return result.stdout;
}

/** The CLI as of `ref`, compiled with this checkout's node_modules. */
function baselineCli(dir, ref) {
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync("git", ["-C", root, "archive", ref, "src", "bin", "package.json", "tsconfig.json"], { maxBuffer: 256 * 1024 * 1024 });
  if (archive.status !== 0) throw new Error(`git archive ${ref} failed: ${archive.stderr}`);
  must("tar", ["-x", "-C", dir], { input: archive.stdout, encoding: "buffer" });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  must(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")]);
  return join(dir, "bin", "conda-bazel.mjs"); // the baseline's own bin, from before it was CommonJS
}

const work = mkdtempSync(join(tmpdir(), "bench-describe-packages-"));
try {
  const own = readdirSync(join(buildStandInPrefix(join(work, "probe"), { filler: 0 }).prefix, "conda-meta")).filter((f) => f.endsWith(".json")).length;
  const prefix = buildStandInPrefix(join(work, "large"), { filler: RECORDS - own, fillerFileCount: 900 }).prefix;
  const records = readdirSync(join(prefix, "conda-meta")).filter((f) => f.endsWith(".json"));
  const bytes = records.reduce((sum, f) => sum + statSync(join(prefix, "conda-meta", f)).size, 0);
  const cli = { baseline: baselineCli(join(work, "baseline"), BASELINE), current: join(root, "bin", "conda-bazel.cjs") };
  const cache = join(work, "cache");
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, CONDA_BAZEL_CACHE_DIR: cache };
  const timed = (bin) => {
    const start = performance.now();
    const result = spawnSync(process.execPath, [bin, "describe", "--json", "--prefix", prefix], { stdio: ["ignore", "pipe", "pipe"], env, maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`describe failed:\n${result.stderr}`);
    return performance.now() - start;
  };
  const dropSummaries = () => {
    for (const f of readdirSync(cache)) if (f.startsWith("packages-")) rmSync(join(cache, f));
  };
  const packages = JSON.parse(must(process.execPath, [cli.current, "describe", "--json", "--prefix", prefix], { env })).packages.map((p) => p.name);
  timed(cli.baseline);
  timed(cli.current);
  const times = { baseline: [], warm: [], cold: [] };
  for (let i = 0; i < ROUNDS; i++) {
    times.baseline.push(timed(cli.baseline));
    times.warm.push(timed(cli.current));
    dropSummaries();
    times.cold.push(timed(cli.current));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [base, warm, cold] = [median(times.baseline), median(times.warm), median(times.cold)];
  const line = (label, value, target) => `${label.padEnd(52)} ${value.toFixed(2)}${target ? `  (target <= ${target})  ${value <= target ? "ok" : "MISSED"}` : ""}`;
  process.stdout.write(
    [
      `describe --json on ${records.length} records, ${(bytes / 1024 / 1024).toFixed(0)} MB (packages: ${packages.join(", ")}); ${ROUNDS} interleaved rounds`,
      `medians: baseline (${BASELINE}) ${base.toFixed(0)} ms, warm ${warm.toFixed(0)} ms, cold record cache ${cold.toFixed(0)} ms`,
      line("warm, with packages / baseline", warm / base, WARM_TARGET),
      line("cold record-summary cache, with packages / baseline", cold / base),
      "",
    ].join("\n"),
  );
  printRow(
    "describe-packages.mjs",
    `\`describe --json\` now vs as it was before it listed packages (a CLI built from commit ${BASELINE}), on the ${records.length}-record, ${(bytes / 1024 / 1024).toFixed(0)} MB prefix: with a warm record-summary cache, and with the cache removed before each run`,
    `warm ≤ ${WARM_TARGET}x the baseline`,
    `warm ${(warm / base).toFixed(2)}${warm / base <= WARM_TARGET ? "" : " (missed)"} (${warm.toFixed(0)} vs ${base.toFixed(0)} ms); cold ${(cold / base).toFixed(1)}x`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
