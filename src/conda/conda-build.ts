// conda-build's two prefixes: $BUILD_PREFIX (the build machine's env, holding the compilers) and
// $PREFIX (the host env for target_platform, holding the libraries and Python to build against).
// Inside a build script they come from the variables conda-build and rattler-build set; anyone
// else names them with --build-prefix and --host-prefix.
import { UsageError } from "../errors.js";
import { targetForSubdir, type Target } from "../targets.js";
import { resolvePrefix } from "./prefix.js";

export interface CondaBuildPrefixes {
  readonly buildPrefix: string;
  readonly hostPrefix: string;
  /** target_platform and build_platform as the build set them (absent with the flags). */
  readonly targetPlatform?: Target;
  readonly buildPlatform?: Target;
  /** What named the prefixes, for init's report. */
  readonly source: "flags" | "conda-build";
}

type Values = Readonly<Record<string, unknown>>;

/** The two prefixes, or undefined for the one-prefix mode (--prefix given, or not in a build). */
export function condaBuildPrefixes(values: Values, env: NodeJS.ProcessEnv = process.env): CondaBuildPrefixes | undefined {
  const build = values["build-prefix"] as string | undefined;
  const host = values["host-prefix"] as string | undefined;
  if (build !== undefined || host !== undefined) {
    if (build === undefined || host === undefined) throw new UsageError(`--${build === undefined ? "build" : "host"}-prefix is missing`, "pass --build-prefix and --host-prefix together (conda-build's BUILD_PREFIX and PREFIX)");
    if (values.prefix !== undefined) throw new UsageError("--prefix cannot be combined with --build-prefix/--host-prefix", "pass either one prefix or the build and host prefixes");
    return { buildPrefix: resolvePrefix(build, undefined, {}, "--build-prefix"), hostPrefix: resolvePrefix(host, undefined, {}, "--host-prefix"), source: "flags" };
  }
  if (values.prefix !== undefined || env.CONDA_BUILD !== "1") return undefined;
  const hint = "run conda-bazel init from the recipe's build script, where conda-build sets BUILD_PREFIX and PREFIX, or pass --build-prefix and --host-prefix";
  if (!env.BUILD_PREFIX || !env.PREFIX) throw new UsageError(`CONDA_BUILD=1 but ${env.BUILD_PREFIX ? "PREFIX" : "BUILD_PREFIX"} is not set`, hint);
  const targetPlatform = platform(env, "target_platform");
  const buildPlatform = platform(env, "build_platform");
  return {
    buildPrefix: resolvePrefix(env.BUILD_PREFIX, undefined, {}, "BUILD_PREFIX"),
    hostPrefix: resolvePrefix(env.PREFIX, undefined, {}, "PREFIX"),
    ...(targetPlatform ? { targetPlatform } : {}),
    ...(buildPlatform ? { buildPlatform } : {}),
    source: "conda-build",
  };
}

/** A platform variable's target; unset and `noarch` say nothing (a noarch build runs no compiler
 * for another machine). */
function platform(env: NodeJS.ProcessEnv, name: "target_platform" | "build_platform"): Target | undefined {
  const subdir = env[name];
  if (!subdir || subdir === "noarch") return undefined;
  const target = targetForSubdir(subdir);
  if (!target) throw new UsageError(`${name}=${subdir} is not a platform conda-bazel builds for`, "run 'conda-bazel targets' for the supported platforms");
  return target;
}

/** The target the build is for and the build machine's: conda-build's variables first, then what
 * the prefixes' records say. */
export function condaBuildTargets(prefixes: CondaBuildPrefixes, buildSubdir: string, hostSubdir: string | null): { target: Target; build: Target } {
  const build = prefixes.buildPlatform ?? targetForSubdir(buildSubdir);
  if (!build) throw new UsageError(`the build prefix ${prefixes.buildPrefix} is for ${buildSubdir}, which conda-bazel cannot run builds on`, "use a build prefix for a platform 'conda-bazel targets' lists");
  const fromHost = hostSubdir === null ? undefined : targetForSubdir(hostSubdir);
  return { target: prefixes.targetPlatform ?? fromHost ?? build, build };
}
