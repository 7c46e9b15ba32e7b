// `conda-bazel go-env --json`: the second callout of the @conda repository rule. For each target
// it prints the environment and arguments of `go build -buildmode=c-shared` exactly as go-build
// composes them (src/go/environment.ts, src/go/command.ts), with every machine-specific part left
// as a placeholder that the Bazel rule fills in: paths into the execroot, a temporary directory. Bazel's go_c_shared_library and go-build thus share one
// definition of a cgo build (the C and C++ compilers included: both are the toolchain's, through
// the prefix linked into the target's cc package), and no absolute path of this machine reaches an
// action key.
import type { CommandArgs } from "../cli.js";
import { commandInputs } from "../conda/command-inputs.js";
import { discoverEnvironment } from "../conda/discover.js";
import type { Environment, Go } from "../environment.js";
import { EXIT } from "../errors.js";
import { headerName } from "../go/build-target.js";
import { cSharedSupported } from "../go/c-shared.js";
import { archiveLinkopts, staticLibraryName } from "../go/c-archive.js";
import { goBuildArgs, goStdlibArgs } from "../go/command.js";
import { joinQuoted } from "../go/quoted.js";
import { goBuildEnvironment } from "../go/environment.js";
import { cgoToolchainKey } from "../go/toolchain-key.js";
import { sharedLibraryName, targetByTriplet } from "../targets.js";
import { writeOut } from "../output.js";

/** The placeholders of the document; starlark/go/c_shared.bzl and go_c_shared.sh replace them. */
export const PLACEHOLDERS = {
  /** The conda GOROOT and prefix as linked into the @conda repository. */
  goroot: "@@GOROOT@@",
  prefix: "@@PREFIX@@",
  /** A directory private to one action (Go's build cache, GOPATH, HOME). */
  tmp: "@@TMP@@",
  /** The library's name as the rule's `library_name` gives it, and its output path. */
  name: "@@NAME@@",
  output: "@@OUTPUT@@",
} as const;

export interface GoEnvTarget {
  readonly target: string;
  readonly goos: string;
  readonly goarch: string;
  readonly library: string;
  readonly header: string;
  readonly env: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  /** `go list` that compiles the standard library into GOCACHE once per target, in the same
   * environment, but for its packages, which //go:stdlib adds: Bazel's standard-library action,
   * whose output seeds each library build's cache. */
  readonly stdlibArgs: readonly string[];
  /** The same package built with -buildmode=c-archive, and the flags a C program linking it needs. */
  readonly archive: { readonly library: string; readonly header: string; readonly args: readonly string[]; readonly linkopts: readonly string[] };
}

export interface GoEnvDocument {
  readonly schemaVersion: 1;
  /** Why no target is listed (no Go), or null. go-nocgo is the same toolchain: the builds turn
   * cgo on and name each target's compiler. */
  readonly unavailable: string | null;
  readonly targets: readonly GoEnvTarget[];
}

/** `path` with the GOROOT or prefix it lies in replaced by its placeholder. */
function placeholderPath(env: Environment, go: Go, path: string): string {
  for (const [root, placeholder] of [
    [go.goroot, PLACEHOLDERS.goroot],
    [env.prefix, PLACEHOLDERS.prefix],
  ] as const) {
    if (path === root || path.startsWith(`${root}/`)) return placeholder + path.slice(root.length);
  }
  return path;
}

export function goEnvDocument(env: Environment): GoEnvDocument {
  const go = env.go;
  if (!go) {
    return { schemaVersion: 1, unavailable: "the environment has no Go", targets: [] };
  }
  const targets = env.toolchains.flatMap((toolchain): GoEnvTarget[] => {
    const target = targetByTriplet(toolchain.target);
    if (!cSharedSupported(go.version, target.goos, target.goarch)) return [];
    const library = sharedLibraryName(target, PLACEHOLDERS.name);
    const archive = staticLibraryName(PLACEHOLDERS.name);
    const tmp = PLACEHOLDERS.tmp;
    const mapPath = (path: string) => placeholderPath(env, go, path);
    // Bazel builds run offline: modules come from the module's vendor directory only, and a
    // module that needs the network fails at once rather than trying to reach it.
    const offline = { ldflags: undefined, extldflags: undefined, rest: ["-mod=vendor"] };
    return [
      {
        target: target.triplet,
        goos: target.goos,
        goarch: target.goarch,
        library,
        header: headerName(library),
        env: goBuildEnvironment({
          env: { ...env, go },
          toolchain,
          toolchainKey: cgoToolchainKey(env.prefix, go, toolchain),
          mapPath,
          dirs: { gocache: `${tmp}/gocache`, gopath: `${tmp}/gopath`, home: `${tmp}/home` },
          passthrough: { GOPROXY: "off" },
        }),
        args: goBuildArgs(target, PLACEHOLDERS.output, library, offline),
        stdlibArgs: goStdlibArgs(),
        archive: {
          library: archive,
          header: headerName(archive),
          // The archive tool of the target's binutils: Go's linker runs plain `ar` otherwise.
          args: goBuildArgs(target, PLACEHOLDERS.output, archive, { ...offline, ldflags: joinQuoted([`-extar=${mapPath(toolchain.ar)}`]) }, "c-archive"),
          linkopts: archiveLinkopts(target),
        },
      },
    ];
  });
  return { schemaVersion: 1, unavailable: null, targets };
}

export async function run(args: CommandArgs): Promise<number> {
  const { prefix, targets } = await commandInputs(args);
  const env = await discoverEnvironment({ prefix, targets });
  writeOut(`${JSON.stringify(goEnvDocument(env))}\n`);
  return EXIT.ok;
}
