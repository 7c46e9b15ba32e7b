// The two rc files: the committed `.bazelrc` block (machine-independent: toolchain resolution,
// a fixed action PATH, one config per target, the import of the local file) and the
// machine-local `.bazelrc.conda` (what the @conda repository rule reads, and the pinned action
// environment).
import { basename, dirname } from "node:path";
import { PINNED_COMPILERS, renderPinned } from "../conda/compiler-choice.js";
import type { Config } from "../config.js";
import type { Environment } from "../environment.js";
import { condaBuildRcLines, condaBuildRepoEnv } from "./conda-build-rc.js";
import { rcWord } from "./escape.js";
import { render } from "./render.js";
import type { GenerateContext, GeneratedFile } from "./types.js";

export const LOCAL_RC = ".bazelrc.conda";

export const BLOCK = `# Platform-based C/C++ toolchain resolution (the default from Bazel 7 on; needed before).
build --incompatible_enable_cc_toolchain_resolution
# A fixed PATH for actions: without it the client's PATH (which \`conda activate\` changes)
# enters every action key, and another shell or machine misses the cache.
build --incompatible_strict_action_env
{% if remoteCache %}
# The team's shared cache (init.remoteCache). Every build reads it; only CI uploads
# (bazel build --config=ci), so what a developer builds from local edits never reaches it.
build {{ remoteCache }}
build --noremote_upload_local_results
build:ci --remote_upload_local_results
{% endif %}
# One config per target: bazel build --config=<target> //...
{% for t in targets %}
build:{{ t.config }} {{ t.platforms }}
{% endfor %}
# Machine-local settings written by \`conda-bazel init\` (not committed).
try-import %workspace%/${LOCAL_RC}
`;

export const LOCAL = `# Written by \`conda-bazel init\` for this machine; do not commit (it is in .gitignore).
# What the @{{ repository }} repository rule reads: a change here makes Bazel refetch it.
# \`common\`, so that every command that can fetch it (build, query, mod, vendor...) sees the same.
{% for setting in repoEnv %}
common --repo_env={{ setting }}
{% endfor %}
{% if hostCompiler %}
# The env has a C/C++ compiler for this machine, so Bazel's own detection is off: it runs the
# machine's cc on PATH about 18 times to set up a fallback toolchain, which only a target the
# env has no compiler for would resolve to (such a target now fails instead).
common --repo_env=BAZEL_DO_NOT_DETECT_CPP_TOOLCHAIN=1
{% endif %}
{% if condaBuild.length %}
# Inside a conda-build: a plain \`bazel build\` builds for target_platform; tools it runs are built
# for the build machine.
{% for line in condaBuild %}
{{ line }}
{% endfor %}
{% endif %}
{% if actionEnv.length %}
# The environment pinned for actions, so that their keys do not depend on the shell or IDE
# that starts Bazel.
{% if actionEnvConfig != "build" %}
# Only with --config={{ actionEnvConfig }}: a plain build keeps action keys that other machines share.
{% endif %}
{% for setting in actionEnv %}
{{ actionEnvCommand }} --action_env={{ setting }}
{% endfor %}
{% endif %}
`;

/** What `conda activate` sets CONDA_DEFAULT_ENV to: the folder name of an env in an `envs`
 * directory, else the full path (conda/activate.py). */
function condaDefaultEnv(prefix: string): string {
  return basename(dirname(prefix)) === "envs" ? basename(prefix) : prefix;
}

/** The value each configured action_env variable is pinned to; variables without a value are left out. */
export function actionEnvValues(env: Environment, names: readonly string[], variables: Readonly<Record<string, string | undefined>>): [string, string][] {
  const known: Record<string, string> = {
    CONDA_PREFIX: env.prefix,
    CONDA_DEFAULT_ENV: variables.CONDA_PREFIX === env.prefix && variables.CONDA_DEFAULT_ENV ? variables.CONDA_DEFAULT_ENV : condaDefaultEnv(env.prefix),
  };
  return names.flatMap((name): [string, string][] => {
    const value = known[name] ?? variables[name];
    return value === undefined ? [] : [[name, value]];
  });
}

/** `NAME=value` as one rc word. */
function setting([name, value]: [string, string]): string {
  return rcWord(`${name}=${value}`, `the value of ${name}`);
}

export function bazelrcBlock(_env: Environment, config: Config, context: GenerateContext): GeneratedFile[] {
  const targets = context.targets.map((t) => ({
    config: rcWord(t.triplet, "a target name"),
    platforms: rcWord(`--platforms=@${config.init.repository}//:${t.triplet}`, "the platform label"),
  }));
  const remoteCache = config.init.remoteCache === undefined ? undefined : rcWord(`--remote_cache=${config.init.remoteCache}`, "init.remoteCache");
  const contents = render(BLOCK, { targets, remoteCache });
  return [{ kind: "block", path: ".bazelrc", comment: "#", contents }];
}

export function localBazelrc(env: Environment, config: Config, context: GenerateContext): GeneratedFile[] {
  const repoEnv: Record<string, string> = {
    CONDA_BAZEL_PREFIX: env.prefix,
    CONDA_BAZEL_FINGERPRINT: env.fingerprint,
    CONDA_BAZEL_NODE: context.callout.node,
    CONDA_BAZEL_CLI: context.callout.script,
    ...condaBuildRepoEnv(env),
  };
  // The compiler init chose where a target has both gcc and clang, so that the repository
  // rule's describe (in Bazel's environment, without the CC this shell has) chooses the same.
  const chosen = new Map(env.toolchains.filter((t) => t.compilerChoice && context.targets.some((target) => target.triplet === t.target)).map((t) => [t.target, t.family]));
  if (chosen.size > 0) repoEnv[PINNED_COMPILERS] = renderPinned(chosen);
  const actionEnvConfig = config.init.actionEnvConfig;
  const contents = render(LOCAL, {
    repository: config.init.repository,
    repoEnv: Object.entries(repoEnv).map(setting),
    hostCompiler: env.toolchains.some((t) => t.subdir === env.subdir && context.targets.some((target) => target.triplet === t.target)),
    condaBuild: condaBuildRcLines(config, context),
    actionEnv: actionEnvValues(env, config.init.actionEnv, context.variables).map(setting),
    actionEnvConfig,
    actionEnvCommand: rcWord(actionEnvConfig === "build" ? "build" : `build:${actionEnvConfig}`, "init.actionEnvConfig"),
  });
  return [{ kind: "file", path: LOCAL_RC, contents, machineLocal: true }];
}
