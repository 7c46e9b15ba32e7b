// conda-bazel's Starlark, copied into the workspace so that the workspace names it by a
// relative path whichever way conda-bazel was installed (devDependency, npx, global). It includes
// the target table as Starlark (private/targets.bzl), which `npm run build` writes from
// src/targets.ts (scripts/targets-bzl.mjs): copied, not rendered and formatted at every init.
import type { Config } from "../config.js";
import type { Environment } from "../environment.js";
import type { OwnedDirectory } from "../write/owned-directory.js";
import { localeOrder } from "./collate.js";
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

export function vendoredStarlark(_env: Environment, config: Config, context: GenerateContext): GeneratedFile[] {
  const dir = config.init.starlarkDirectory;
  const files: GeneratedFile[] = [...context.starlarkFiles].map(([path, { contents, executable }]) => ({ kind: "file", path: `${dir}/${path}`, contents, ...(executable ? { executable } : {}) }));
  return files.sort((a, b) => localeOrder(a.path, b.path));
}
