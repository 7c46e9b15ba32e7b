// Compiler probes cost tens of milliseconds per process; `describe` runs at every Bazel fetch.
// Probes are cached on disk. An entry is a hint, never trusted as it stands: it must restate the
// identity it was probed under, which must match the compiler files and the env as they are now
// (the entry point and what it resolves to: path, inode, size, mtime, and the content of small
// files such as wrapper scripts; the env's records, since installing a sysroot adds include
// directories), and its facts must be well-formed, their include directories existing ones.
// What no check can catch without running the compiler again is a forged but plausible version
// string or another set of existing directories: the cache directory has to be as trusted as
// Go's own build cache, which lives in it.
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, normalize } from "node:path";
import { hasControlCharacter } from "../errors.js";
import { readCacheJson, writeCacheJson } from "./cache-files.js";
import type { CompilerFacts } from "./probe.js";

/** Bump when the probe or its output changes meaning. */
const FORMAT = 2;

/** Files up to this size are hashed: wrapper scripts, which can name another compiler without
 * changing size or mtime. Compiler binaries are identified by inode, size and mtime alone. */
const HASHED_BYTES = 64 * 1024;

function fileIdentity(path: string): string {
  const own = lstatSync(path);
  const real = realpathSync(path);
  const target = statSync(real);
  const id = (s: { dev: number; ino: number; size: number; mtimeMs: number }) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
  const content = target.size <= HASHED_BYTES ? createHash("sha256").update(readFileSync(real)).digest("hex") : "-";
  return `${path}|${id(own)}|${real}|${id(target)}|${content}`;
}

/** What probing `cc` (and `cxx`) in an env with records `fingerprint` depends on, or undefined
 * when a file cannot be examined (then nothing is cached). */
export function probeIdentity(cc: string, cxx: string | null, fingerprint: string): string | undefined {
  try {
    return [String(FORMAT), fileIdentity(cc), cxx ? fileIdentity(cxx) : "-", fingerprint].join("\n");
  } catch {
    return undefined;
  }
}

function entryName(identity: string): string {
  return `probe-${createHash("sha256").update(identity).digest("hex")}.json`;
}

const isDirectory = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** Facts as a probe gives them: a version and a machine of one plain word, include directories
 * absolute, normalised and existing. */
function wellFormed(facts: Partial<CompilerFacts> | undefined): facts is CompilerFacts {
  const word = (value: unknown, pattern: RegExp) => typeof value === "string" && value.length <= 128 && pattern.test(value);
  return (
    word(facts?.version, /^\d+(\.\d+)*[A-Za-z0-9.+_-]*$/) &&
    word(facts?.machine, /^[A-Za-z0-9_.+-]+$/) &&
    Array.isArray(facts?.builtinIncludeDirectories) &&
    facts.builtinIncludeDirectories.every((d) => typeof d === "string" && isAbsolute(d) && normalize(d) === d && !hasControlCharacter(d) && isDirectory(d))
  );
}

export function readProbe(dir: string, identity: string): CompilerFacts | undefined {
  const entry = readCacheJson(dir, entryName(identity)) as { identity?: unknown; facts?: Partial<CompilerFacts> } | undefined;
  if (entry?.identity !== identity || !wellFormed(entry.facts)) return undefined;
  const { version, machine, builtinIncludeDirectories } = entry.facts;
  return { version, machine, builtinIncludeDirectories };
}

export function writeProbe(dir: string, identity: string, facts: CompilerFacts): void {
  writeCacheJson(dir, entryName(identity), { identity, facts });
}
