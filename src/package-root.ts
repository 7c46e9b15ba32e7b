// Where the package's own files are (package.json, bin/, starlark/). Found by walking up rather
// than a fixed "../..": this module runs from src/ under the test runner, from lib/ compiled by
// tsc and from lib/bundle/ bundled (scripts/bundle.mjs).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "starlark"))) return dir;
    if (dirname(dir) === dir) throw new Error(`conda-bazel's package directory is not above ${from}`);
  }
}

export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
