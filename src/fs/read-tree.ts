// A small tree of the package's own files read whole, for init to vendor (the Starlark) and for
// the bundle to pack at build time (scripts/packed-starlark.mjs).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Files by `/`-separated path relative to their tree, with their text and whether the owner may run them. */
export type FileTree = ReadonlyMap<string, { readonly contents: string; readonly executable: boolean }>;

/** Every file under `dir`, in path order. Read synchronously: a few dozen small files, which the
 * thread pool's round trips would only slow down. */
export function readTree(dir: string): FileTree {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split("\\").join("/"));
  return new Map(files.sort().map((f) => [f, { contents: readFileSync(join(dir, f), "utf8"), executable: (statSync(join(dir, f)).mode & 0o100) !== 0 }]));
}
