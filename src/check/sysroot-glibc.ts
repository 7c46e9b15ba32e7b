// The glibc a target's binaries may need: the version of the sysroot package (c_stdlib_version)
// installed in the env that holds the compilers, read from its conda-meta record's file name.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { findRecord, listRecords } from "../conda/records.js";
import type { Target } from "../targets.js";

/** `x.y` of `target`'s sysroot record in the first of `prefixes` that has one; null when none does. */
export function sysrootGlibc(target: Target, prefixes: readonly (string | undefined)[]): string | null {
  for (const prefix of prefixes) {
    if (!prefix || !existsSync(join(prefix, "conda-meta"))) continue;
    const version = findRecord(listRecords(prefix), target.stdlibPackage)?.version;
    const majorMinor = version && /^\d+\.\d+/.exec(version)?.[0];
    if (majorMinor) return majorMinor;
  }
  return null;
}
