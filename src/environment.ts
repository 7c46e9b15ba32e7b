// The Environment: everything conda-bazel knows about a conda prefix, as discovered once.
// It is also the `describe --json` document (schemaVersion 1), the callout API that the Bazel
// repository rule reads at fetch time, so its shape is a public contract.
import { z } from "zod";

const absolutePath = z.string().startsWith("/", "must be an absolute path");

export const ToolchainSchema = z.object({
  /** Canonical target triplet from the target table. */
  target: z.string(),
  /** The triplet the conda compiler carries, e.g. `aarch64-conda-linux-gnu`. */
  condaTriplet: z.string(),
  subdir: z.string(),
  goos: z.string(),
  goarch: z.string(),
  family: z.enum(["gcc", "clang"]),
  /** Present when the env has another compiler family for the target too (gcc and clang on
   * Linux): what chose this one (--compiler or init's pin, CC, the activation's CC, or the
   * first installed) and the others. */
  compilerChoice: z.object({ by: z.enum(["flag", "CC", "activation", "installed"]), others: z.array(z.enum(["gcc", "clang"])) }).optional(),
  cc: absolutePath,
  cxx: absolutePath.nullable(),
  cpp: absolutePath.nullable(),
  ar: absolutePath,
  ld: absolutePath,
  nm: absolutePath,
  objcopy: absolutePath.nullable(),
  objdump: absolutePath.nullable(),
  strip: absolutePath,
  /** `<prefix>/<triplet>/sysroot` where the sysroot package installed one; null otherwise. */
  sysroot: absolutePath.nullable(),
  /** Version of the stdlib package (`sysroot_<subdir>`, `m2w64-sysroot_win-64`...), from its
   * record; conda_build_config.yaml pins `c_stdlib_version` to it. Absent when not installed. */
  stdlibVersion: z.string().nullable().optional(),
  /** What the compiler reports: `-dumpfullversion` (gcc) or `-dumpversion` (clang), and `-dumpmachine`. */
  version: z.string(),
  machine: z.string(),
  /** Directories the compiler searches for `#include <...>`, C and C++, in search order. */
  builtinIncludeDirectories: z.array(absolutePath),
  /** conda's default flags for this target, `${CONDA_PREFIX}` expanded to the prefix. */
  cflags: z.array(z.string()),
  cxxflags: z.array(z.string()),
  cppflags: z.array(z.string()),
  ldflags: z.array(z.string()),
  /** Where the flags came from: an activation script in the prefix, or built-in defaults. */
  flagsSource: z.string(),
});

export const MissingTargetSchema = z.object({
  target: z.string(),
  reason: z.string(),
  hint: z.string(),
  /** The compiler is installed but does not run: a broken install rather than an absent one. */
  broken: z.literal(true).optional(),
});

export const PythonSchema = z.object({
  interpreter: absolutePath,
  version: z.string(),
  /** Where Python.h lies (`sysconfig.get_path("include")`: `$PREFIX/include/python3.X` in a
   * conda env); null when the interpreter ships no headers or does not run. */
  includeDir: absolutePath.nullable(),
  /** EXT_SUFFIX as the interpreter reports it, e.g. `.cpython-311-x86_64-linux-gnu.so`; null
   * when it does not run. */
  extSuffix: z.string().nullable(),
  /** The shared libpython to embed (`$PREFIX/lib/<INSTSONAME>`); null when the env has none. */
  libpython: absolutePath.nullable(),
  /** numpy's C headers directory (`.../numpy/_core/include`, numpy 1.x `.../numpy/core/include`),
   * from numpy's record; null without numpy. */
  numpyInclude: absolutePath.nullable(),
});

export const GoSchema = z.object({
  goroot: absolutePath,
  /** The `go` command to run, inside GOROOT. */
  go: absolutePath,
  /** Version without the `go` prefix, e.g. `1.19.8`. */
  version: z.string(),
  /** `cgo` or `nocgo`, from the `_go_select` / `go-cgo` / `go-nocgo` records. */
  variant: z.enum(["cgo", "nocgo"]),
  /** What go-cgo_<target>/go-nocgo_<target> activation scripts export (GOOS, GOARCH, GOFLAGS...). */
  activationExports: z.record(z.string()),
});

/** A package whose conda-meta record lists C/C++ content; paths are relative to the prefix. */
export const CondaPackageSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** The record's files under include/ (directories left out), each checked to be in the prefix. */
  headers: z.array(z.string()),
  /** Shared libraries directly in lib/ to link and load: `path` is the file named by the
   * library's SONAME (`lib/libz.so.1`), `file` the real file it resolves to. */
  sharedLibraries: z.array(z.object({ path: z.string(), soname: z.string().nullable(), file: z.string() })),
  /** `.a` files directly in lib/. */
  staticLibraries: z.array(z.string()),
  /** Names of the run dependencies (`depends`) that are themselves in `packages`. */
  depends: z.array(z.string()),
});

/** Why a package with C/C++ content cannot become a target: a file its record lists is missing or
 * leads out of the prefix, or another package owns the same header. */
export const PackageProblemSchema = z.object({
  package: z.string(),
  problem: z.string(),
  hint: z.string(),
});

/** conda-build's host env ($PREFIX): the libraries and the Python a build links against, for
 * target_platform. The toolchains then come from the build prefix (`prefix`), their flags from
 * the activation's CONDA_BUILD=1 branch. */
export const HostSchema = z.object({
  prefix: absolutePath,
  /** Subdir of the host env's packages; null when its records do not tell (no platform package yet). */
  subdir: z.string().nullable(),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  python: PythonSchema.nullable(),
  /** The host env's packages with C/C++ content: in a conda-build, `@conda//pkgs/<name>`. */
  packages: z.array(CondaPackageSchema),
  packageProblems: z.array(PackageProblemSchema),
});

export const EnvironmentSchema = z.object({
  schemaVersion: z.literal(1),
  prefix: absolutePath,
  /** Subdir the env's packages were built for (the machine it runs on). */
  subdir: z.string(),
  /** sha256 over the installed records' file names: changes on every install or removal. */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  python: PythonSchema.nullable(),
  go: GoSchema.nullable(),
  toolchains: z.array(ToolchainSchema),
  missing: z.array(MissingTargetSchema),
  /** Packages with C/C++ content, by name; the `@conda//pkgs/<name>` targets. Always in
   * describe's document; absent where discovery was not asked for them (the other commands). */
  packages: z.array(CondaPackageSchema).optional(),
  packageProblems: z.array(PackageProblemSchema).optional(),
  /** Present when described with a host prefix (`--host-prefix`, conda-build's mode). */
  host: HostSchema.optional(),
});

export type Toolchain = z.infer<typeof ToolchainSchema>;
export type MissingTarget = z.infer<typeof MissingTargetSchema>;
export type Python = z.infer<typeof PythonSchema>;
export type Go = z.infer<typeof GoSchema>;
export type Host = z.infer<typeof HostSchema>;
export type CondaPackage = z.infer<typeof CondaPackageSchema>;
export type PackageProblem = z.infer<typeof PackageProblemSchema>;
export type Environment = z.infer<typeof EnvironmentSchema>;
