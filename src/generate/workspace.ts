// The block in WORKSPACE (or MODULE.bazel) that makes the vendored conda-bazel Starlark a
// repository, declares @conda with the chosen targets and registers its toolchains. Nothing in
// it depends on the machine: the prefix reaches the repository rule through .bazelrc.conda.
import type { Config } from "../config.js";
import type { Environment } from "../environment.js";
import { starlarkString } from "./escape.js";
import { render } from "./render.js";
import type { GenerateContext, GeneratedFile } from "./types.js";

export const STARLARK_REPOSITORY = "conda_bazel";

export const WORKSPACE = `# conda-bazel's Starlark, vendored by \`conda-bazel init\` (run it again after upgrading conda-bazel).
# It loads @rules_cc (0.2.14 or later) and @rules_python: declare both above this block.
local_repository(
    name = "${STARLARK_REPOSITORY}",
    path = {{ vendor }},
)

load("@${STARLARK_REPOSITORY}//:defs.bzl", "conda_environment")

# Platforms and toolchains from the conda environment that .bazelrc.conda names.
conda_environment(
    name = {{ repository }},
    targets = [
{% for t in targets %}
        {{ t }},
{% endfor %}
    ],
)

register_toolchains({{ toolchains }})
`;

export const MODULE = `# conda-bazel's Starlark, vendored by \`conda-bazel init\` (run it again after upgrading conda-bazel).
bazel_dep(name = "${STARLARK_REPOSITORY}", version = "0.1.0", dev_dependency = True)
local_path_override(
    module_name = "${STARLARK_REPOSITORY}",
    path = {{ vendor }},
)

# Platforms and toolchains from the conda environment that .bazelrc.conda names.
conda = use_extension("@${STARLARK_REPOSITORY}//:extensions.bzl", "conda", dev_dependency = True)
conda.environment(
    name = {{ repository }},
    targets = [
{% for t in targets %}
        {{ t }},
{% endfor %}
    ],
)
use_repo(conda, {{ repository }})

register_toolchains({{ toolchains }}, dev_dependency = True)
`;

export function workspaceBlock(_env: Environment, config: Config, context: GenerateContext): GeneratedFile[] {
  const bzlmod = context.mode === "bzlmod";
  const contents = render(bzlmod ? MODULE : WORKSPACE, {
    vendor: starlarkString(config.init.starlarkDirectory, "init.starlarkDirectory"),
    repository: starlarkString(config.init.repository, "init.repository"),
    toolchains: starlarkString(`@${config.init.repository}//:all`, "the toolchains label"),
    targets: context.targets.map((t) => starlarkString(t.triplet, "a target name")),
  });
  return [{ kind: "block", path: context.workspaceFile, comment: "#", contents, starlark: bzlmod ? "module" : "workspace" }];
}
