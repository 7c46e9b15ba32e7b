// The Starlark that init vendors: every file of the package's starlark/ tree. The bundle
// replaces this module with one that reads the same files packed at build time into
// lib/bundle/starlark.json (scripts/packed-starlark.mjs): one read where this walk opens and
// stats three dozen files, about 4 ms of a no-change init (bench/init.mjs).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PACKAGE_ROOT } from "../package-root.js";
import type { StarlarkFiles } from "./types.js";

/** Every file under starlark/, by `/`-separated path relative to it. Read synchronously: three
 * dozen small files, which the thread pool's round trips would only slow down. */
export function readStarlarkFiles(): StarlarkFiles {
  const dir = join(PACKAGE_ROOT, "starlark");
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return new Map(files.map((f) => [relative(dir, f).split("\\").join("/"), { contents: readFileSync(f, "utf8"), executable: (statSync(f).mode & 0o100) !== 0 }]));
}
