// Runs the built CLI the way a user does, and builds stand-in conda prefixes in temp dirs.
import { execa } from "execa";
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = join(ROOT, "bin", "conda-bazel.cjs");

export interface StandInOptions {
  subdirs?: string[];
  legacy?: boolean;
  bare?: boolean;
  pixi?: boolean;
  go?: "cgo" | "nocgo" | "none";
  python?: boolean;
  goActivation?: string[];
  filler?: number;
  fillerFileCount?: number;
  noSysroot?: boolean;
  condarc?: boolean;
  goLayout?: "native" | "cross" | "copy";
  goroot?: string;
  zlib?: boolean;
  manager?: "conda" | "mamba" | "micromamba" | "unknown";
  clang?: string[];
}

const temps: string[] = [];

/** Removes the temp dirs made since the last call: test/support/remove-temp-dirs.ts runs it after
 * each test file. Asynchronously: a Bazel output root or a Go cache holds tens of thousands of
 * files, and a worker blocked that long misses vitest's fixed 60 s RPC deadline ("Timeout calling
 * onTaskUpdate"). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export function tempDir(label = "conda-bazel-"): string {
  const dir = mkdtempSync(join(tmpdir(), label));
  temps.push(dir);
  return dir;
}

/** A stand-in prefix at `<temp>/<name>`; `name` may contain spaces. */
export function standInPrefix(options: StandInOptions = {}, name = "env"): string {
  return (buildStandInPrefix(join(tempDir(), name), options) as { prefix: string }).prefix;
}

/** Environment of a clean shell: no conda env activated, a private probe cache. */
export function cleanEnv(cacheDir: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: process.env.HOME, CONDA_BAZEL_CACHE_DIR: cacheDir, ...extra };
}

export async function cli(args: string[], env: Record<string, string | undefined>, cwd = ROOT) {
  return execa(process.execPath, [BIN, ...args], { env, extendEnv: false, reject: false, cwd });
}

/** Error output as the user sees it: exactly one line, no stack trace. */
export function expectOneLine(stderr: string): string {
  const lines = stderr.trimEnd().split("\n");
  if (lines.length !== 1 || /^\s+at /m.test(stderr)) throw new Error(`expected one line on stderr, got:\n${stderr}`);
  return lines[0]!;
}
