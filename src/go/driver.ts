// go-build's core: check that every requested target can be built, then build them in a bounded
// pool, each with its own environment from the model, and describe the outcome as a manifest.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pathRoots } from "../check/build-paths.js";
import { checkFile } from "../check/check-file.js";
import { stdlibGlibc } from "../check/sysroot-glibc.js";
import { installCommand } from "../conda/install-hint.js";
import type { Environment, Go, Toolchain } from "../environment.js";
import { UsageError } from "../errors.js";
import { sharedLibraryName, type Target } from "../targets.js";
import { buildTarget, headerName, staleFiles } from "./build-target.js";
import { cSharedSupported } from "./c-shared.js";
import { goBuildArgs, type ExtraArgs } from "./command.js";
import { goBuildEnvironment, type GoEnvironmentInput } from "./environment.js";
import { cgoToolchainKey } from "./toolchain-key.js";
import type { Manifest, ManifestFile, TargetEntry } from "./manifest.js";
import { sweepStaging } from "./out-dir.js";
import { runPool } from "./pool.js";
import type { ProgressListener } from "./progress.js";

export interface GoBuildRequest {
  readonly env: Environment;
  readonly targets: readonly Target[];
  /** Absolute directory of the Go main package. */
  readonly packageDir: string;
  /** The package as the user named it, for the manifest (no machine-specific path). */
  readonly packageLabel: string;
  readonly outDir: string;
  readonly name: string;
  readonly jobs: number;
  readonly failFast: boolean;
  readonly extra: ExtraArgs;
  readonly dirs: GoEnvironmentInput["dirs"];
  readonly passthrough: Readonly<Record<string, string>>;
  /** Receives go's own output of each target that built, when the user asked for it (-v, -x). */
  readonly goOutput?: (target: string, output: string) => void;
  /** Aborted when go-build is interrupted: running builds are stopped, no further one starts. */
  readonly signal?: AbortSignal;
}

export interface Buildable {
  readonly go: Go;
  readonly toolchains: readonly Toolchain[];
}

/** The Go and the toolchain of every target, or a UsageError naming the first thing missing. */
export function checkBuildable(env: Environment, targets: readonly Target[]): Buildable {
  const go = env.go;
  if (!go) throw new UsageError(`no Go in ${env.prefix}`, installCommand(env.prefix, ["go-cgo"]));
  const toolchains = targets.map((target) => {
    if (!cSharedSupported(go.version, target.goos, target.goarch)) {
      throw new UsageError(`Go ${go.version} cannot build a C shared library for ${target.goos}/${target.goarch} (${target.triplet})`, "drop this target or use a Go that supports -buildmode=c-shared there");
    }
    const toolchain = env.toolchains.find((t) => t.target === target.triplet);
    if (toolchain) return toolchain;
    const missing = env.missing.find((m) => m.target === target.triplet);
    if (missing) throw new UsageError(missing.reason, missing.hint);
    throw new UsageError(`no C compiler for ${target.triplet} in ${env.prefix}`, installCommand(env.prefix, [target.compilerPackages[0]!]));
  });
  return { go, toolchains };
}

/** Builds every target and returns the manifest; a failed target does not stop the others
 * unless `failFast`. */
export async function goBuild(request: GoBuildRequest, progress: ProgressListener): Promise<Manifest> {
  const { go, toolchains } = checkBuildable(request.env, request.targets);
  await mkdir(request.outDir, { recursive: true });
  await sweepStaging(request.outDir);
  const entries = await runPool(
    request.targets.map((target, i) => ({ target, toolchain: toolchains[i]! })),
    async ({ target, toolchain }, signal): Promise<TargetEntry> => {
      const library = sharedLibraryName(target, request.name);
      const env = goBuildEnvironment({
        env: { ...request.env, go },
        toolchain,
        toolchainKey: cgoToolchainKey(request.env.prefix, go, toolchain),
        mapPath: (path) => path,
        dirs: request.dirs,
        passthrough: request.passthrough,
      });
      progress(target.triplet, { kind: "building", since: Date.now() });
      const outcome = await buildTarget(
        { target: target.triplet, go: go.go, args: (output) => goBuildArgs(target, output, library, request.extra), env, packageDir: request.packageDir, outDir: request.outDir, library },
        signal,
      );
      if (outcome.goOutput) request.goOutput?.(target.triplet, outcome.goOutput);
      const check = outcome.status === "ok" ? checkBuilt(request, target, toolchain, outcome.files) : undefined;
      const seconds = outcome.durationSeconds;
      progress(target.triplet, outcome.status === "ok" ? { kind: "done", seconds } : outcome.status === "failed" ? { kind: "failed", seconds } : { kind: "cancelled" });
      return entry(target, go, toolchain, { ...outcome, ...(check ? { check } : {}) });
    },
    {
      jobs: request.jobs,
      failFast: request.failFast,
      failed: (e) => e.status !== "ok",
      skipped: async (i) => {
        const target = request.targets[i]!;
        progress(target.triplet, { kind: "cancelled" });
        const library = sharedLibraryName(target, request.name);
        const files = await staleFiles(join(request.outDir, target.triplet), target.triplet, [library, headerName(library)]);
        return entry(target, go, toolchains[i]!, { status: "cancelled", files, durationSeconds: 0 });
      },
      ...(request.signal ? { signal: request.signal } : {}),
    },
  );
  return { schemaVersion: 1, library: request.name, package: request.packageLabel, targets: entries };
}

/** `conda-bazel check` on the library just built (not on an earlier run's file go left alone):
 * its machine, its glibc needs against the toolchain's sysroot, build paths (the package and
 * go-build's cache dirs too) in its RPATH, its stack. */
function checkBuilt(request: GoBuildRequest, target: Target, toolchain: Toolchain, files: readonly ManifestFile[]): TargetEntry["check"] {
  const library = files.find((f) => !f.stale && f.path === `${target.triplet}/${sharedLibraryName(target, request.name)}`);
  if (!library) return undefined;
  const glibc = target.binary.format === "elf" ? stdlibGlibc(toolchain.stdlibVersion) : null;
  const buildDirs = [
    { path: request.packageDir, name: "the Go package dir", buildPath: true },
    { path: request.dirs.home, name: "go-build's cache dir", buildPath: true },
    ...(request.dirs.gotmp ? [{ path: request.dirs.gotmp, name: "go's work dir", buildPath: true }] : []),
  ];
  const roots = pathRoots(process.env, process.cwd(), request.env.prefix, buildDirs);
  return { glibc, findings: checkFile(join(request.outDir, library.path), { target, glibc, roots }) };
}

function entry(target: Target, go: Go, toolchain: Toolchain, outcome: Pick<TargetEntry, "status" | "files" | "durationSeconds" | "error" | "check">): TargetEntry {
  return {
    target: target.triplet,
    status: outcome.status,
    goos: target.goos,
    goarch: target.goarch,
    goVersion: go.version,
    compiler: { path: toolchain.cc, version: toolchain.version },
    files: outcome.files,
    ...(outcome.check ? { check: outcome.check } : {}),
    durationSeconds: outcome.durationSeconds,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}
