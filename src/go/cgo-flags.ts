// The C flags cgo gets for one target, derived from conda's defaults for that target.
import type { Toolchain } from "../environment.js";
import { targetByTriplet } from "../targets.js";

export interface CgoFlags {
  readonly cflags: readonly string[];
  readonly cppflags: readonly string[];
  readonly cxxflags: readonly string[];
  readonly ldflags: readonly string[];
}

// Linker flags that hurt a cgo shared library whatever the target:
// --gc-sections drops cgo's export tables (golang/go#52690; conda's own Go appends
// --no-gc-sections), and an rpath would bake the build machine's prefix into the library
// (--disable-new-dtags only chooses the rpath's kind).
const HARMFUL_LDFLAGS = [/^-Wl,--gc-sections$/, /^-Wl,-rpath,/, /^-Wl,--disable-new-dtags$/];

// On Windows code is position-independent and calls go through the import table anyway, and
// stack protection and _FORTIFY_SOURCE need libssp at link and run time with mingw-w64 runtimes
// before v11 (an undefined __stack_chk_fail, seen with Debian's mingw-w64 gcc 12): a DLL that
// needs a libssp-0.dll beside it is not what a user wants.
const WINDOWS_DROPPED = [/^-fPIC$/, /^-fno-plt$/, /^-fstack-protector/, /^-D_FORTIFY_SOURCE/, /^-U_FORTIFY_SOURCE$/];

/** Removes `flag` (and the argument of a two-word flag) wherever `drop` says so. */
function filterFlags(flags: readonly string[], drop: (flag: string, argument: string | undefined) => boolean): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    const takesArgument = flag === "-isystem" || flag === "-I" || flag === "-L" || flag === "-include";
    const argument = takesArgument ? flags[i + 1] : undefined;
    if (takesArgument) i++;
    if (drop(flag, argument)) continue;
    kept.push(flag);
    if (argument !== undefined) kept.push(argument);
  }
  return kept;
}

/** The path a flag points into (`-isystem DIR`, `-IDIR`, `-LDIR`, `-Wl,-rpath-link,DIR`), if any. */
function flagPath(flag: string, argument: string | undefined): string | undefined {
  if (argument !== undefined) return argument;
  return /^(?:-[IL]|-Wl,-rpath-link,)(\/.*)$/.exec(flag)?.[1];
}

/**
 * conda's default flags for the toolchain's target, minus what breaks a cgo shared library and
 * what means nothing for the target. `native` says whether the env's own packages are built for
 * this target: when they are not, `-isystem PREFIX/include` and `-L PREFIX/lib` point at
 * libraries of another architecture and are dropped.
 */
export function cgoFlags(toolchain: Toolchain, prefix: string, native: boolean): CgoFlags {
  const windows = targetByTriplet(toolchain.target).goos === "windows";
  const inPrefix = (path: string | undefined) => path !== undefined && (path === prefix || path.startsWith(`${prefix}/`));
  const drop = (flag: string, argument: string | undefined) =>
    (windows && WINDOWS_DROPPED.some((re) => re.test(flag))) || (!native && inPrefix(flagPath(flag, argument)));
  return {
    cflags: filterFlags(toolchain.cflags, drop),
    cppflags: filterFlags(toolchain.cppflags, drop),
    cxxflags: filterFlags(toolchain.cxxflags, drop),
    ldflags: filterFlags(toolchain.ldflags, (flag, argument) => HARMFUL_LDFLAGS.some((re) => re.test(flag)) || drop(flag, argument)),
  };
}
