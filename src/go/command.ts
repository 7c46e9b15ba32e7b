// The `go build` command line for one target, and the checks on what the user adds after `--`.
import { UsageError } from "../errors.js";
import type { Target } from "../targets.js";
import { joinQuoted } from "./quoted.js";

/** Flags the driver sets itself; a second value would change where and what it builds. */
const OWNED = new Set(["o", "buildmode"]);

export interface ExtraArgs {
  /** The user's `-ldflags` value, merged into ours because go keeps only the last one. */
  readonly ldflags: string | undefined;
  readonly rest: readonly string[];
}

/** Splits the arguments after `--` into the user's -ldflags and everything else, and refuses
 * the flags the driver owns in any spelling (`-o x`, `-o=x`, `--o`, `-buildmode=...`). */
export function parseExtraArgs(args: readonly string[]): ExtraArgs {
  let ldflags: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const flag = /^--?([A-Za-z][\w-]*)(=(.*))?$/s.exec(arg);
    const name = flag?.[1];
    if (name && OWNED.has(name)) {
      throw new UsageError(`'${arg}' cannot be passed to go build: conda-bazel sets -${name} itself`, name === "o" ? "choose the output directory with --out and the library name with --name" : "go-build always builds -buildmode=c-shared");
    }
    if (name === "ldflags") {
      const value = flag![2] !== undefined ? flag![3]! : args[++i];
      if (value === undefined) throw new UsageError("-ldflags needs a value", "pass -ldflags=VALUE after --");
      if (/(^|\s)--?extldflags\b/.test(value)) {
        throw new UsageError("-extldflags cannot be passed in -ldflags: conda-bazel sets it (SONAME, install name)", "pass extra linker flags through the conda compiler's LDFLAGS instead");
      }
      ldflags = value;
      continue;
    }
    rest.push(arg);
  }
  return { ldflags, rest };
}

/** What the external linker needs for a well-formed library on the target's OS: a SONAME on
 * Linux, an @rpath install name on macOS, no timestamp in a DLL (the only thing that makes two
 * identical Windows builds differ). */
export function externalLinkerFlags(target: Target, library: string): string[] {
  switch (target.goos) {
    case "linux":
      return [`-Wl,-soname,${library}`];
    case "darwin":
      return [`-Wl,-install_name,@rpath/${library}`];
    case "windows":
      return ["-Wl,--no-insert-timestamp"];
    default:
      return [];
  }
}

/** Arguments of `go build` that writes the c-shared library of the package in the working
 * directory to `output` (an absolute path whose file name is the library's). */
export function goBuildArgs(target: Target, output: string, library: string, extra: ExtraArgs): string[] {
  // An empty Go build ID: Go derives it from CC's absolute path (among others), so without this
  // the same sources and env at another path (another checkout, Bazel execroot or prefix) give
  // other bytes. First, so that a -buildid of the user's wins.
  const ldflags = ["-buildid=", extra.ldflags, `-extldflags ${joinQuoted([externalLinkerFlags(target, library).join(" ")])}`].filter(Boolean).join(" ");
  return ["build", "-trimpath", "-buildvcs=false", "-buildmode=c-shared", `-ldflags=${ldflags}`, "-o", output, ...extra.rest, "."];
}
