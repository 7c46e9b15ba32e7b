// The complete environment of one `go build` for one target, composed from the model alone.
// Nothing is inherited from the caller: a conda activation leaves GOOS, GOARCH, CC, GOFLAGS and
// CGO_ENABLED behind, and cgo falls back to a `go env -w` file, or with conda's Go to plain
// CFLAGS/LDFLAGS, for any CGO_* variable that is empty (cgo-cross.md §0, §7). The Bazel Go rule
// reuses this with paths relative to the execroot, hence the path mapper as a parameter: the C
// and C++ compilers are the toolchain's in both, so a package with C++ files links libstdc++ in
// Bazel as it does in go-build.
import type { Environment, Go, Toolchain } from "../environment.js";
import { targetByTriplet } from "../targets.js";
import { cgoFlags } from "./cgo-flags.js";
import { joinQuoted } from "./quoted.js";
import { goVersionAtLeast } from "./version.js";

export interface GoEnvironmentInput {
  readonly env: Pick<Environment, "prefix" | "subdir"> & { readonly go: Go };
  readonly toolchain: Toolchain;
  /** cgoToolchainKey of the toolchain: what can change the C compile and link (toolchain-key.ts). */
  readonly toolchainKey: string;
  /** How the build sees an absolute path of the model (GOROOT, the sysroot, paths in flags). */
  readonly mapPath: (path: string) => string;
  /** Go's build cache, GOPATH (the module cache lives inside it), HOME and, when the caller
   * chooses it, Go's work directory (GOTMPDIR), as the build sees them. */
  readonly dirs: { readonly gocache: string; readonly gopath: string; readonly home: string; readonly gotmp?: string };
  /** Settings the caller passes on deliberately (a module proxy, TMPDIR); ours win over them. */
  readonly passthrough?: Readonly<Record<string, string>>;
}

/** Programs the build may look up by name besides GOROOT/bin and PREFIX/bin: a shell for
 * compiler wrapper scripts, pkg-config. Fixed, so the caller's PATH cannot change a build. */
const SYSTEM_PATH = ["/usr/bin", "/bin"];

/** Maps the absolute path inside a flag (`-I/x`, `-L/x`, `-Wl,-rpath-link,/x`, `/x`). */
function mapFlag(flag: string, mapPath: (path: string) => string): string {
  const match = /^(-[IL]|--sysroot=|-Wl,.*,)?(\/.*)$/.exec(flag);
  return match ? `${match[1] ?? ""}${mapPath(match[2]!)}` : flag;
}

/** The flags, each path mapped, as one value cgo splits back; never empty (see above). */
function flagValue(flags: readonly string[], mapPath: (path: string) => string, fallback: string): string {
  return flags.length > 0 ? joinQuoted(flags.map((f) => mapFlag(f, mapPath))) : fallback;
}

/** pkg-config looks only into the target's libraries: the sysroot, and the prefix when the env's
 * own packages are built for the target. The sysroot is prepended to paths only for a cross
 * target, whose .pc files all come from the sysroot; the prefix's .pc files hold absolute paths. */
function pkgConfig(toolchain: Toolchain, prefix: string, native: boolean, mapPath: (path: string) => string): Record<string, string> {
  const dirs: string[] = [];
  if (native) dirs.push(`${prefix}/lib/pkgconfig`, `${prefix}/share/pkgconfig`);
  if (toolchain.sysroot) dirs.push(`${toolchain.sysroot}/usr/lib/pkgconfig`, `${toolchain.sysroot}/usr/share/pkgconfig`);
  const vars: Record<string, string> = { PKG_CONFIG_LIBDIR: dirs.map(mapPath).join(":") };
  if (toolchain.sysroot && !native) vars.PKG_CONFIG_SYSROOT_DIR = mapPath(toolchain.sysroot);
  return vars;
}

/** The environment of `go build` for the toolchain's target, with sorted keys. */
export function goBuildEnvironment(input: GoEnvironmentInput): Record<string, string> {
  const { env, toolchain, mapPath, dirs } = input;
  const target = targetByTriplet(toolchain.target);
  const native = toolchain.subdir === env.subdir;
  const flags = cgoFlags(toolchain, env.prefix, native);
  // Where Go's cache key sees it (CGO_CPPFLAGS); the define leaves no trace in the output.
  const toolchainId = `-DCONDA_BAZEL_TOOLCHAIN=${input.toolchainKey}`;
  const vars: Record<string, string> = {
    ...input.passthrough,
    GOOS: target.goos,
    GOARCH: target.goarch,
    CGO_ENABLED: "1",
    CC: joinQuoted([mapPath(toolchain.cc)]),
    CGO_CFLAGS: flagValue(flags.cflags, mapPath, "-O2"),
    CGO_CPPFLAGS: joinQuoted([toolchainId, ...flags.cppflags.map((f) => mapFlag(f, mapPath))]),
    CGO_CXXFLAGS: flagValue(flags.cxxflags, mapPath, "-O2"),
    CGO_LDFLAGS: flagValue(flags.ldflags, mapPath, "-O2"),
    GOTOOLCHAIN: "local",
    GOENV: "off",
    GOFLAGS: "",
    GOROOT: mapPath(env.go.goroot),
    GOCACHE: dirs.gocache,
    GOPATH: dirs.gopath,
    GOMODCACHE: `${dirs.gopath}/pkg/mod`,
    HOME: dirs.home,
    ...(dirs.gotmp ? { GOTMPDIR: dirs.gotmp } : {}),
    PATH: [...[`${env.go.goroot}/bin`, `${env.prefix}/bin`].map(mapPath), ...SYSTEM_PATH].join(":"),
    ...pkgConfig(toolchain, env.prefix, native, mapPath),
  };
  if (toolchain.cxx) vars.CXX = joinQuoted([mapPath(toolchain.cxx)]);
  if (target.goArchLevel && goVersionAtLeast(env.go.version, target.goArchLevel.sinceGo)) {
    vars[target.goArchLevel.name] = target.goArchLevel.value;
  }
  return Object.fromEntries(Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
