// .bazelrc.conda inside a conda-build: the host prefix the repository rule reads besides the build
// prefix, and a plain `bazel build` for target_platform with tools for the build machine. All of
// it names this build's prefixes, so it lives in the machine-local file only.
import type { Config } from "../config.js";
import type { Environment } from "../environment.js";
import { rcWord } from "./escape.js";
import type { GenerateContext } from "./types.js";

/** The variables the repository rule reads for the host prefix (conda_build.bzl). */
export function condaBuildRepoEnv(env: Environment): Record<string, string> {
  return env.host ? { CONDA_BAZEL_HOST_PREFIX: env.host.prefix, CONDA_BAZEL_HOST_FINGERPRINT: env.host.fingerprint } : {};
}

/** `build --platforms` (the target) and `build --host_platform` (the build machine, whose exec
 * toolchain compiles the tools a build runs). */
export function condaBuildRcLines(config: Config, context: GenerateContext): string[] {
  if (!context.condaBuild) return [];
  const repository = config.init.repository;
  return [
    `build ${rcWord(`--platforms=@${repository}//:${context.condaBuild.target.triplet}`, "the platform label")}`,
    `build ${rcWord(`--host_platform=@${repository}//:build_platform`, "the platform label")}`,
  ];
}
