// The env's Python: the highest `bin/python3.X`, versioned by the `python` record's file name,
// with what building extension modules for it takes (python-build.ts).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Python } from "../environment.js";
import { pythonBuildFacts } from "./python-build.js";
import { findRecord, type RecordName } from "./records.js";

export async function discoverPython(prefix: string, records: readonly RecordName[], cacheDir: string, fingerprint: string): Promise<Python | null> {
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
  const interpreter = join(prefix, "bin", `python3.${Math.max(...minors)}`);
  return { interpreter, version: record.version, ...(await pythonBuildFacts(prefix, interpreter, records, cacheDir, fingerprint)) };
}
