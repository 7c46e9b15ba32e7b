// OUT/manifest.json: what one go-build run produced, per target, in a fixed key order so that
// two runs with the same outcome differ only in durations.
import { rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Finding } from "../check/findings.js";
import { makeStaging } from "./out-dir.js";

export const MANIFEST_FILE = "manifest.json";

export interface ManifestFile {
  /** Relative to the output directory, with `/`. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  /** An earlier run's file, kept because this run did not build the target. */
  readonly stale?: true;
}

export type TargetStatus = "ok" | "failed" | "cancelled";

export interface TargetEntry {
  readonly target: string;
  readonly status: TargetStatus;
  readonly goos: string;
  readonly goarch: string;
  readonly goVersion: string;
  readonly compiler: { readonly path: string; readonly version: string };
  readonly files: readonly ManifestFile[];
  /** `conda-bazel check` on the library this run built: the glibc it was judged against
   * (c_stdlib_version; null where none applies) and its findings. Absent when nothing was built. */
  readonly check?: { readonly glibc: string | null; readonly findings: readonly Finding[] };
  readonly durationSeconds: number;
  /** For a failed target: the `go build` command and what it printed. */
  readonly error?: { readonly command: string; readonly output: readonly string[] };
}

export interface Manifest {
  readonly schemaVersion: 1;
  readonly library: string;
  readonly package: string;
  readonly targets: readonly TargetEntry[];
}

/** The entry with its keys in the documented order, whatever order it was built in. */
function orderedEntry(entry: TargetEntry): TargetEntry {
  return {
    target: entry.target,
    status: entry.status,
    goos: entry.goos,
    goarch: entry.goarch,
    goVersion: entry.goVersion,
    compiler: { path: entry.compiler.path, version: entry.compiler.version },
    files: entry.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size, ...(f.stale ? { stale: true as const } : {}) })),
    ...(entry.check ? { check: { glibc: entry.check.glibc, findings: entry.check.findings.map((f) => ({ check: f.check, problem: f.problem, fix: f.fix })) } } : {}),
    durationSeconds: entry.durationSeconds,
    ...(entry.error ? { error: { command: entry.error.command, output: entry.error.output } } : {}),
  };
}

export function renderManifest(manifest: Manifest): string {
  const ordered: Manifest = {
    schemaVersion: manifest.schemaVersion,
    library: manifest.library,
    package: manifest.package,
    targets: manifest.targets.map(orderedEntry),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Replaces OUT/manifest.json in one rename, so a reader never sees half of it; written in a
 * fresh staging directory, never through whatever a checkout put at a predictable name. */
export async function writeManifest(outDir: string, text: string): Promise<void> {
  const staging = await makeStaging(outDir, "manifest");
  try {
    await writeFile(join(staging, MANIFEST_FILE), text);
    await rename(join(staging, MANIFEST_FILE), join(outDir, MANIFEST_FILE));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
