// buildifier from the @bazel/buildifier npm dependency, which ships one binary per platform
// inside the package (nothing is downloaded at install). Starlark that conda-bazel writes goes
// through it so that generated files look like hand-formatted ones and never churn.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { StarlarkType } from "./generate/types.js";

// The package names its binaries in Go's spelling of the host running init. Not the target
// table's goos/goarch: it ships binaries for hosts (riscv64) that are no conda-bazel target.
const GO_ARCH: Readonly<Record<string, string>> = { x64: "amd64", arm64: "arm64", riscv64: "riscv64" };
const GO_OS: Readonly<Record<string, string>> = { linux: "linux", darwin: "darwin", win32: "windows" };

const packageJson = (): string => createRequire(import.meta.url).resolve("@bazel/buildifier/package.json");

/** Absolute path of the buildifier binary for this platform. */
export function buildifierPath(): string {
  const os = GO_OS[process.platform];
  const arch = GO_ARCH[process.arch];
  if (!os || !arch) throw new Error(`@bazel/buildifier has no binary for ${process.platform}/${process.arch}`);
  return join(dirname(packageJson()), `buildifier-${os}_${arch}${os === "windows" ? ".exe" : ""}`);
}

/** The installed @bazel/buildifier's version: another release may format the same text otherwise. */
export async function buildifierVersion(): Promise<string> {
  return (JSON.parse(readFileSync(packageJson(), "utf8")) as { version: string }).version;
}

/**
 * Runs buildifier on `input`: its configuration off (a BUILDIFIER_CONFIG of the caller or a
 * committed .buildifier.json would change how generated files look), from a directory holding no
 * config, with no inherited environment. Spawned directly: importing execa costs more than a run;
 * child_process itself is loaded only here, since a no-change init runs no buildifier at all.
 */
async function runBuildifier(args: readonly string[], input: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { spawn } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    const binary = buildifierPath();
    const child = spawn(binary, ["--config=off", ...args], { cwd: dirname(binary), env: {}, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => reject(new Error(`cannot run buildifier: ${error.message}`)));
    child.on("close", (status) => resolve({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    child.stdin.end(input);
  });
}

/** `text` formatted as buildifier formats a file of the given type. Not cached: a cached result
 * would land in committed files unchecked, and a run costs a few milliseconds. */
export async function formatStarlark(text: string, type: StarlarkType): Promise<string> {
  const result = await runBuildifier([`--type=${type}`], text);
  if (result.status !== 0) throw new Error(`buildifier could not parse generated ${type} text: ${result.stderr.split("\n")[0]}`);
  return result.stdout;
}

/** buildifier's lint warnings (default set) for `text`, one line each; empty when clean. */
export async function lintStarlark(text: string, type: StarlarkType, name = "<stdin>"): Promise<string[]> {
  const result = await runBuildifier([`--type=${type}`, "--lint=warn", "--mode=check", `--path=${name}`], text);
  return result.stderr.split("\n").filter((line) => /:\d+: [a-z-]+: /.test(line));
}
