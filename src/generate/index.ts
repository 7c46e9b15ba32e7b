// The generators `conda-bazel init` runs, in order. To add a file to what init writes, add a
// pure `Generator` (types.ts) here; the writer, --check, --dry-run and --json handle the rest.
import { bazelrcBlock, localBazelrc } from "./bazelrc.js";
import { generateCondaBuildConfig } from "./conda-build-config.js";
import { gitignoreBlock } from "./gitignore.js";
import { rulesGoFiles } from "./rules-go.js";
import type { Generator } from "./types.js";
import { vendoredStarlark } from "./vendor.js";
import { workspaceBlock } from "./workspace.js";

export const GENERATORS: readonly Generator[] = [
  bazelrcBlock,
  localBazelrc,
  gitignoreBlock,
  workspaceBlock,
  vendoredStarlark,
  generateCondaBuildConfig,
  rulesGoFiles,
];
