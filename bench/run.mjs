#!/usr/bin/env node
// `npm run bench`: runs every benchmark in this directory, one after another (they time things
// side by side with their baselines, so running them concurrently would only add noise), then
// prints the README's benchmark table: every benchmark's row, under the machine and the load
// averages before and after.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HEADER, machine } from "./_table.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith(".mjs") && f !== "run.mjs" && !f.startsWith("_"))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
  .sort();

/** Runs one benchmark, its output shown as it comes; resolves to its exit code and its table rows. */
function runBench(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, file)], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
    });
    child.on("close", (status) => resolve({ status, rows: output.split("\n").filter((l) => l.startsWith("| `bench/")) }));
  });
}

const before = machine();
let failed = 0;
const rows = [];
for (const file of benches) {
  process.stdout.write(`\n== ${file}\n`);
  const result = await runBench(file);
  if (result.status !== 0) failed++;
  rows.push(...result.rows);
}
process.stdout.write(["", `Measured on ${before}; at the end, ${/load average .*/.exec(machine())[0]}:`, "", ...HEADER, ...rows, ""].join("\n"));
process.exit(failed === 0 ? 0 : 1);
