// Compiler probes cost tens of milliseconds per process; `describe` runs at every Bazel fetch.
// Probes are cached on disk, keyed by the identity of the compiler files (the entry point and
// what it resolves to), so a reinstalled or upgraded compiler is probed again.
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CompilerFacts } from "./probe.js";

/** Bump when the probe or its output changes meaning. */
const FORMAT = 1;

export function probeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CONDA_BAZEL_CACHE_DIR) return env.CONDA_BAZEL_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "conda-bazel");
  return join(homedir(), ".cache", "conda-bazel");
}

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
  try {
    const data = JSON.parse(readFileSync(join(dir, `probe-${key}.json`), "utf8")) as Partial<CompilerFacts>;
    const ok =
      typeof data.version === "string" &&
      typeof data.machine === "string" &&
      Array.isArray(data.builtinIncludeDirectories) &&
      data.builtinIncludeDirectories.every((d) => typeof d === "string");
    return ok ? (data as CompilerFacts) : undefined;
  } catch {
    return undefined;
  }
}

/** Atomic (temp file + rename) so concurrent runs never see half an entry. A cache that
 * cannot be written only costs the next run a probe. */
export function writeProbe(dir: string, key: string, facts: CompilerFacts): void {
  const path = join(dir, `probe-${key}.json`);
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, `${JSON.stringify(facts)}\n`);
    renameSync(temp, path);
  } catch {
    // Not worth failing the command over; see above.
  }
}
