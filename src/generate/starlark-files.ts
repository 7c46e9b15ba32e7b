// The Starlark that init vendors: every file of the package's starlark/ tree. The bundle
// replaces this module with one that reads the same files packed at build time into
// lib/bundle/starlark.json (scripts/packed-starlark.mjs): one read where this walk opens and
// stats three dozen files, about 4 ms of a no-change init (bench/init.mjs).
import { join } from "node:path";
import { readTree, type FileTree } from "../fs/read-tree.js";
import { PACKAGE_ROOT } from "../package-root.js";

export function readStarlarkFiles(): FileTree {
  return readTree(join(PACKAGE_ROOT, "starlark"));
}
