// One target: run `go build` into a private staging directory inside the output directory, and
// move the library and its header into OUT/<target>/ only when the build succeeded. A failed or
// cancelled build leaves nothing behind and never touches an earlier good build, which the
// manifest then lists as stale.
import { createHash } from "node:crypto";
import { copyFile, link, lstat, mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shellQuote } from "../conda/install-hint.js";
import type { ManifestFile, TargetStatus } from "./manifest.js";
import { makeStaging } from "./out-dir.js";
import { runProcess } from "./run-process.js";

export interface TargetBuild {
  readonly target: string;
  readonly go: string;
  readonly args: (output: string) => string[];
  readonly env: Readonly<Record<string, string>>;
  readonly packageDir: string;
  readonly outDir: string;
  readonly library: string;
}

export interface TargetOutcome {
  readonly status: TargetStatus;
  readonly files: readonly ManifestFile[];
  readonly durationSeconds: number;
  readonly error?: { readonly command: string; readonly output: readonly string[] };
  /** What go printed for a build that succeeded (what -v and -x ask for), else empty. */
  readonly goOutput?: string;
}

/** The header go writes beside a c-shared library: the output path minus its extension, plus .h. */
export function headerName(library: string): string {
  const dot = library.lastIndexOf(".");
  return `${dot > 0 ? library.slice(0, dot) : library}.h`;
}

async function describeFile(path: string, relative: string, stale = false): Promise<ManifestFile> {
  const bytes = await readFile(path);
  return { path: relative, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length, ...(stale ? { stale: true } : {}) };
}

async function isRegularFile(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined))?.isFile() ?? false;
}

/** The files an earlier run left for a target that did not build this time. */
export async function staleFiles(finalDir: string, target: string, names: readonly string[]): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  for (const name of names) {
    if (await isRegularFile(join(finalDir, name))) files.push(await describeFile(join(finalDir, name), `${target}/${name}`, true));
  }
  return files;
}

/** The command as a user would type it, for error reports. */
function commandLine(go: string, args: readonly string[]): string {
  return [go, ...args].map(shellQuote).join(" ");
}

/** Moves `name` from the temporary directory into place, or removes a stale copy there when the
 * build did not produce it. Returns whether the file was produced. */
async function settle(from: string, to: string, name: string): Promise<boolean> {
  try {
    await rename(join(from, name), join(to, name));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await rm(join(to, name), { force: true });
    return false;
  }
}

/** Puts the earlier library (if any) where go will write the new one: go skips the external link
 * when that file's build ID says it is up to date, and replaces rather than rewrites it when not,
 * so the earlier library itself is never modified. A copy where hard links are refused. Only a
 * regular file: when go cannot rename its result into place (its work directory on another
 * filesystem) it copies, and would copy through a symlink to wherever that points. */
async function seedEarlier(earlier: string, seed: string): Promise<void> {
  if (!(await isRegularFile(earlier))) return;
  try {
    await link(earlier, seed);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    await copyFile(earlier, seed);
  }
}

export async function buildTarget(build: TargetBuild, signal: AbortSignal): Promise<TargetOutcome> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  const temporary = await makeStaging(build.outDir, build.target);
  const finalDir = join(build.outDir, build.target);
  const header = headerName(build.library);
  let goTmp: string | undefined;
  try {
    // go's work directory goes into one of this target's own, removed below: go leaves its own
    // behind when it is killed (a cancelled target), on SIGTERM and SIGINT alike.
    goTmp = await mkdtemp(join(build.env.GOTMPDIR ?? tmpdir(), "conda-bazel-go-"));
    await seedEarlier(join(finalDir, build.library), join(temporary, build.library));
    const args = build.args(join(temporary, build.library));
    const result = await runProcess(build.go, args, { cwd: build.packageDir, env: { ...build.env, GOTMPDIR: goTmp }, signal });
    if (result.cancelled) return { status: "cancelled", files: await staleFiles(finalDir, build.target, [build.library, header]), durationSeconds: seconds() };
    if (result.exitCode !== 0) {
      const output = result.output.split("\n").filter((line) => line.trim() !== "");
      const files = await staleFiles(finalDir, build.target, [build.library, header]);
      return { status: "failed", files, durationSeconds: seconds(), error: { command: commandLine(build.go, args), output } };
    }
    // `go build -n` only prints what it would run: earlier files stay, listed as not from this run.
    if (!(await isRegularFile(join(temporary, build.library)))) {
      return { status: "ok", files: await staleFiles(finalDir, build.target, [build.library, header]), durationSeconds: seconds(), goOutput: result.output };
    }
    await mkdir(finalDir, { recursive: true });
    const files = [await describeFile(join(temporary, build.library), `${build.target}/${build.library}`)];
    if (await settle(temporary, finalDir, header)) files.push(await describeFile(join(finalDir, header), `${build.target}/${header}`));
    await settle(temporary, finalDir, build.library);
    return { status: "ok", files, durationSeconds: seconds(), goOutput: result.output };
  } finally {
    await rm(temporary, { recursive: true, force: true });
    if (goTmp !== undefined) await rm(goTmp, { recursive: true, force: true });
  }
}
