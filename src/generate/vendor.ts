// conda-bazel's Starlark, copied into the workspace so that the workspace names it by a
// relative path whichever way conda-bazel was installed (devDependency, npx, global), plus the
// target table rendered as Starlark from src/targets.ts.
import type { Config } from "../config.js";
import type { Environment } from "../environment.js";
import { TARGETS } from "../targets.js";
import type { OwnedDirectory } from "../write/owned-directory.js";
import { render } from "./render.js";
import type { GenerateContext, GeneratedFile } from "./types.js";

export const TARGETS_BZL = "private/targets.bzl";

/** The vendored directory; 0.1.0 vendored without a manifest, and its files are recognised by
 * the table's first line and its file list, so that an upgrade removes what 0.1.0 wrote and
 * nothing else. */
export function vendoredDirectory(config: Config): OwnedDirectory {
  return { dir: config.init.starlarkDirectory, setting: "init.starlarkDirectory", legacy: [LEGACY_0_1_0] };
}

const LEGACY_0_1_0 = {
  path: TARGETS_BZL,
  start: `"""conda-bazel's target table`,
  files: [
    "BUILD.bazel",
    "MODULE.bazel",
    "WORKSPACE",
    "defs.bzl",
    "extensions.bzl",
    "go/BUILD.bazel",
    "go/defs.bzl",
    "go/go_c_shared.sh",
    "go/repository.bzl",
    "go/toolchain.bzl",
    "private/BUILD.bazel",
    "private/callout.bzl",
    "private/cc_toolchain_config.bzl",
    "private/environment_repository.bzl",
    "private/render.bzl",
    "private/targets.bzl",
    "private/toolchains.bzl",
  ],
};

const TABLE = `"""conda-bazel's target table (generated from src/targets.ts by \`conda-bazel init\`; do not edit)."""

TARGETS = {
{% for t in targets %}
    "{{ t.triplet }}": struct(
        triplet = "{{ t.triplet }}",
        subdir = "{{ t.subdir }}",
        os = "{{ t.bazelOs }}",
        # @platforms cpu constraints, preferred first: older @platforms releases only know the later ones.
        cpus = [{% for c in t.bazelCpus %}"{{ c }}"{% if not loop.last %}, {% endif %}{% endfor %}],
        target_cpu = "{{ t.bazelTargetCpu }}",
        target_libc = "{{ "macosx" if t.bazelOs == "macos" else "unknown" }}",
        goos = "{{ t.goos }}",
        goarch = "{{ t.goarch }}",
    ),
{% endfor %}
}

TARGETS_BY_SUBDIR = {t.subdir: t for t in TARGETS.values()}
`;

/** private/targets.bzl: the table, for the repository rule. */
export function targetsBzl(): string {
  return render(TABLE, { targets: TARGETS });
}

export function vendoredStarlark(_env: Environment, config: Config, context: GenerateContext): GeneratedFile[] {
  const dir = config.init.starlarkDirectory;
  const files: GeneratedFile[] = [...context.starlarkFiles]
    .filter(([path]) => path !== TARGETS_BZL)
    .map(([path, { contents, executable }]) => ({ kind: "file", path: `${dir}/${path}`, contents, ...(executable ? { executable } : {}) }));
  files.push({ kind: "file", path: `${dir}/${TARGETS_BZL}`, contents: targetsBzl(), starlark: "bzl" });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
