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
    const glibc = stdlibGlibc(findRecord(listRecords(prefix), target.stdlibPackage)?.version);
    if (glibc) return glibc;
  }
  return null;
}

/** `x.y` of a sysroot package version (`2.17`, `2.28.1`), as c_stdlib_version pins it. */
export function stdlibGlibc(version: string | null | undefined): string | null {
  return (version && /^\d+\.\d+/.exec(version)?.[0]) || null;
}
