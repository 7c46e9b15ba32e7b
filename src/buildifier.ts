// buildifier from the @bazel/buildifier npm dependency, which ships one binary per platform
// inside the package (nothing is downloaded at install). Starlark that conda-bazel writes goes
// through it so that generated files look like hand-formatted ones and never churn.
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { cacheDir, readCacheJson, writeCacheJson } from "./conda/cache-files.js";
import type { StarlarkType } from "./generate/types.js";

// The package names its binaries in Go's spelling of the host running init. Not the target
// table's goos/goarch: it ships binaries for hosts (riscv64) that are no conda-bazel target.
const GO_ARCH: Readonly<Record<string, string>> = { x64: "amd64", arm64: "arm64", riscv64: "riscv64" };
const GO_OS: Readonly<Record<string, string>> = { linux: "linux", darwin: "darwin", win32: "windows" };

/** Absolute path of the buildifier binary for this platform. */
export function buildifierPath(): string {
  const os = GO_OS[process.platform];
  const arch = GO_ARCH[process.arch];
  if (!os || !arch) throw new Error(`@bazel/buildifier has no binary for ${process.platform}/${process.arch}`);
  const packageDir = dirname(createRequire(import.meta.url).resolve("@bazel/buildifier/package.json"));
  return join(packageDir, `buildifier-${os}_${arch}${os === "windows" ? ".exe" : ""}`);
}

/** `text` formatted as buildifier formats a file of the given type. Formatting is a pure function
 * of the binary, the type and the text, so results are cached: an init that changes nothing
 * spawns no buildifier (and does not load execa). */
export async function formatStarlark(text: string, type: StarlarkType): Promise<string> {
  const binary = buildifierPath();
  const { size, mtimeMs } = statSync(binary);
  const key = createHash("sha256").update(`${binary}\n${size}:${mtimeMs}\n${type}\n${text}`).digest("hex");
  const dir = cacheDir();
  const cached = readCacheJson(dir, `buildifier-${key}.json`) as { formatted?: unknown } | undefined;
  if (typeof cached?.formatted === "string") return cached.formatted;
  const { execa } = await import("execa");
  const result = await execa(binary, [`--type=${type}`], { input: text, stripFinalNewline: false, reject: false });
  if (result.exitCode !== 0) throw new Error(`buildifier could not parse generated ${type} text: ${result.stderr.split("\n")[0]}`);
  writeCacheJson(dir, `buildifier-${key}.json`, { formatted: result.stdout });
  return result.stdout;
}

/** buildifier's lint warnings (default set) for `text`, one line each; empty when clean. */
export async function lintStarlark(text: string, type: StarlarkType, name = "<stdin>"): Promise<string[]> {
  const { execa } = await import("execa");
  const result = await execa(buildifierPath(), [`--type=${type}`, "--lint=warn", "--mode=check", `--path=${name}`], { input: text, reject: false });
  return result.stderr.split("\n").filter((line) => /:\d+: [a-z-]+: /.test(line));
}
