// The README's benchmark table, row by row: each benchmark prints its own row (a Markdown table
// line beginning with "| `bench/"), and `npm run bench` (run.mjs) collects the rows under a
// header naming the machine and its load, so that the README's table is this output pasted.
import { cpus, loadavg, release } from "node:os";
import { readFileSync } from "node:fs";

export const HEADER = ["| benchmark | what it compares | target | measured |", "|---|---|---|---|"];

/** Prints the benchmark's row. */
export function printRow(benchmark, compares, target, measured) {
  process.stdout.write(`| \`bench/${benchmark}\` | ${compares} | ${target} | ${measured} |\n`);
}

/** The machine and its load now: cores, CPU model, OS, Node, 1-minute load average. */
export function machine() {
  let os = `Linux ${release()}`;
  try {
    os = /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? os;
  } catch {
    // Not Linux: the kernel release says enough.
  }
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${os}, Node ${process.versions.node}, load average ${loadavg()[0].toFixed(1)}`;
}
