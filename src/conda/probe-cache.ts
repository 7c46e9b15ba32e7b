// Compiler probes cost tens of milliseconds per process; `describe` runs at every Bazel fetch.
// Probes are cached on disk, keyed by the identity of the compiler files (the entry point and
// what it resolves to), so a reinstalled or upgraded compiler is probed again.
import { createHash } from "node:crypto";
import { lstatSync, realpathSync, statSync } from "node:fs";
import { readCacheJson, writeCacheJson } from "./cache-files.js";
import type { CompilerFacts } from "./probe.js";

/** Bump when the probe or its output changes meaning. */
const FORMAT = 1;

function fileIdentity(path: string): string {
  const own = lstatSync(path);
  const real = realpathSync(path);
  const target = statSync(real);
  const id = (s: { dev: number; ino: number; size: number; mtimeMs: number }) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
  return `${path}|${id(own)}|${real}|${id(target)}`;
}

/** The cache key of probing `cc` (and `cxx`), or undefined when a file cannot be examined. */
export function probeKey(cc: string, cxx: string | null): string | undefined {
  try {
    const parts = [String(FORMAT), fileIdentity(cc), cxx ? fileIdentity(cxx) : "-"];
    return createHash("sha256").update(parts.join("\n")).digest("hex");
  } catch {
    return undefined;
  }
}

export function readProbe(dir: string, key: string): CompilerFacts | undefined {
  const data = readCacheJson(dir, `probe-${key}.json`) as Partial<CompilerFacts> | undefined;
  const ok =
    typeof data?.version === "string" &&
    typeof data.machine === "string" &&
    Array.isArray(data.builtinIncludeDirectories) &&
    data.builtinIncludeDirectories.every((d) => typeof d === "string");
  return ok ? (data as CompilerFacts) : undefined;
}

export function writeProbe(dir: string, key: string, facts: CompilerFacts): void {
  writeCacheJson(dir, `probe-${key}.json`, facts);
}
