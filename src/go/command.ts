// The `go build` command line for one target, and the checks on what the user adds after `--`.
import { UsageError } from "../errors.js";
import type { Target } from "../targets.js";
import { joinQuoted, splitQuoted } from "./quoted.js";

/** Flags the driver sets itself; a second value would change where and what it builds. */
const OWNED = new Set(["o", "buildmode"]);

export interface ExtraArgs {
  /** The user's `-ldflags` value, merged into ours because go keeps only the last one; without
   * its `-extldflags`, which is merged into ours the same way. */
  readonly ldflags: string | undefined;
  readonly extldflags: string | undefined;
  readonly rest: readonly string[];
}

/** Splits an -ldflags value into its -extldflags value (the last, as the linker keeps) and the
 * other flags, requoted. */
function splitLdflags(value: string): { ldflags: string | undefined; extldflags: string | undefined } {
  const words = splitQuoted(value, "-ldflags");
  const kept: string[] = [];
  let extldflags: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const flag = /^--?extldflags(?:=(.*))?$/s.exec(words[i]!);
    if (!flag) {
      kept.push(words[i]!);
      continue;
    }
    extldflags = flag[1] ?? words[++i];
    if (extldflags === undefined) throw new UsageError("-extldflags in -ldflags needs a value", "for example -ldflags='-extldflags \"-static-libgcc\"'");
  }
  return { ldflags: kept.length > 0 ? joinQuoted(kept) : undefined, extldflags };
}

/** Splits the arguments after `--` into the user's -ldflags and everything else, and refuses
 * the flags the driver owns in any spelling (`-o x`, `-o=x`, `--o`, `-buildmode=...`). */
export function parseExtraArgs(args: readonly string[]): ExtraArgs {
  let ldflags: ReturnType<typeof splitLdflags> = { ldflags: undefined, extldflags: undefined };
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
      ldflags = splitLdflags(value);
      continue;
    }
    rest.push(arg);
  }
  return { ...ldflags, rest };
}

/** Whether the arguments after `--` ask go to print what it does (-v, -x, -n): go-build then
 * shows go's output of the targets that built, which it otherwise keeps quiet. */
export function asksForGoOutput(extra: ExtraArgs): boolean {
  return extra.rest.some((arg) => /^--?[vxn](=true)?$/.test(arg));
}

/** Flags a committed conda-bazel.yaml may pass to go build (goBuild.args), and whether each takes
 * a value. Everything else, among them -toolexec, -exec, -overlay, -modfile, -pkgdir, -compiler,
 * -gcflags/-asmflags (-cpuprofile=FILE writes anywhere) and package arguments, can run programs,
 * read files outside the package into the build or write files, which a checkout must not be able
 * to do to whoever builds it: those go on the command line after `--`. */
const CONFIG_FLAGS: ReadonlyMap<string, boolean> = new Map([
  ["tags", true], ["ldflags", true], ["mod", true], ["p", true],
  ["a", false], ["v", false], ["x", false], ["race", false], ["trimpath", false], ["work", false],
]);

/** In a config file's -ldflags: strip symbols, drop DWARF, set a string variable. -extld and
 * friends run programs. */
const CONFIG_LDFLAGS = /^-(s|w|X)$/;

function refuseConfigArg(arg: string, why: string): never {
  throw new UsageError(`goBuild.args in the config file may not pass '${arg}' to go build: ${why}`, "pass it on the command line after -- if you trust it");
}

/** Refuses the config file's goBuild.args unless every flag is on the list above; the command
 * line after `--` is the user's own choice and is not limited. */
export function checkConfigArgs(args: readonly string[]): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const flag = /^--?([A-Za-z][\w-]*)(=(.*))?$/s.exec(arg);
    if (!flag) refuseConfigArg(arg, "only flags are allowed there, not packages or other arguments");
    const takesValue = CONFIG_FLAGS.get(flag[1]!);
    if (takesValue === undefined) refuseConfigArg(arg, "it can run programs or reach files outside the package");
    if (!takesValue) continue;
    const value = flag[2] !== undefined ? flag[3]! : args[++i];
    if (value === undefined) refuseConfigArg(arg, "it needs a value");
    if (flag[1] === "ldflags") {
      const words = value.split(/\s+/).filter(Boolean);
      for (let w = 0; w < words.length; w++) {
        const word = words[w]!;
        if (/^-X=/.test(word)) continue;
        if (!CONFIG_LDFLAGS.test(word)) refuseConfigArg(`-ldflags=${value}`, `the linker flag '${word}' is not one of -s, -w, -X`);
        if (word === "-X") w++;
      }
    }
  }
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

/** The build modes that produce a library for C: a shared library, or a static archive that a C
 * program links into itself. */
export type CBuildMode = "c-shared" | "c-archive";

/** Arguments of `go build` that writes the library of the package in the working directory to
 * `output` (an absolute path whose file name is the library's), c-shared unless `buildmode` says. */
export function goBuildArgs(target: Target, output: string, library: string, extra: ExtraArgs, buildmode: CBuildMode = "c-shared"): string[] {
  // An empty Go build ID: Go derives it from CC's absolute path (among others), so without this
  // the same sources and env at another path (another checkout, Bazel execroot or prefix) give
  // other bytes. First, so that a -buildid of the user's wins. An archive is not linked by an
  // external linker: -extldflags has nothing to say there.
  const ownExtldflags = buildmode === "c-shared" ? externalLinkerFlags(target, library) : [];
  const extldflags = [...ownExtldflags, ...(extra.extldflags ? [extra.extldflags] : [])].join(" ");
  const extldflagsArg = buildmode === "c-shared" || extldflags ? `-extldflags ${joinQuoted([extldflags])}` : undefined;
  const ldflags = ["-buildid=", extra.ldflags, extldflagsArg].filter(Boolean).join(" ");
  return ["build", "-trimpath", "-buildvcs=false", `-buildmode=${buildmode}`, `-ldflags=${ldflags}`, "-o", output, ...extra.rest, "."];
}

/** Arguments of `go list` that compiles standard-library packages into GOCACHE, as goBuildArgs's
 * builds look them up, printing nothing: the seed of the Bazel builds' caches. The packages follow
 * (`std`, or the //go:stdlib_packages flag's list). Only the flags that enter Go's cache key of a
 * package matter, and they must be goBuildArgs's: -trimpath, and the build mode through the code
 * generation flag it implies (`-shared` on Linux, the same for c-shared and c-archive there and on
 * Windows). */
export function goStdlibArgs(): string[] {
  return ["list", "-export", "-trimpath", "-buildmode=c-shared", "-f={{if false}}{{end}}"];
}
