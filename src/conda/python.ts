// The env's Python: the highest `bin/python3.X`, versioned by the `python` record's file name,
// with what building extension modules for it takes (python-build.ts). conda-build's host Python
// is for target_platform and may not run here: its facts are then read from its files.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Python } from "../environment.js";
import { pythonBuildFacts, pythonBuildFactsFromFiles } from "./python-build.js";
import { findRecord, type RecordName } from "./records.js";

/** `probes`: where to cache the interpreter's answer; null for a Python that is not to be run. */
export async function discoverPython(prefix: string, records: readonly RecordName[], probes: { cacheDir: string; fingerprint: string } | null): Promise<Python | null> {
  const record = findRecord(records, "python");
  if (!record) return null;
  let names: string[];
  try {
    names = readdirSync(join(prefix, "bin"));
  } catch {
    return null;
  }
  const minors = names.map((n) => /^python3\.(\d+)$/.exec(n)?.[1]).filter((m): m is string => m !== undefined).map(Number);
  if (minors.length === 0) return null;
  const minor = `3.${Math.max(...minors)}`;
  const interpreter = join(prefix, "bin", `python${minor}`);
  const facts = probes ? await pythonBuildFacts(prefix, interpreter, records, probes.cacheDir, probes.fingerprint) : pythonBuildFactsFromFiles(prefix, minor, records);
  return { interpreter, version: record.version, ...facts };
}
