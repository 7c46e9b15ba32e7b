// conda-bazel's Starlark, copied into the workspace so that the workspace names it by a
// relative path whichever way conda-bazel was installed (devDependency, npx, global), plus the
// target table rendered as Starlark from src/targets.ts.
import type { Config } from "../config.js";
import type { Environment } from "../environment.js";
import { TARGETS } from "../targets.js";
import { render } from "./render.js";
import type { GenerateContext, GeneratedFile } from "./types.js";

export const TARGETS_BZL = "private/targets.bzl";

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
