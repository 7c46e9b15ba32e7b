// The bundle's stand-in for src/generate/starlark-files.ts: the package's starlark/ tree read
// once at build time into lib/bundle/starlark.json, which a run reads in one go instead of
// walking the tree (about 4 ms of a no-change init, bench/init.mjs). A file of its own rather
// than text in the chunk: the chunk's code cache entry then holds no copy of it.
import { dirname, join, resolve } from "node:path";
import { loadSource } from "./load-source.mjs";

export const PACKED_STARLARK = "starlark.json";

/** The packed file's bytes: the `[path, { contents, executable }]` pairs of src/fs/read-tree.ts's
 * readTree, the walk that init runs when it is not bundled (lib/, compiled by tsc). */
export async function packedStarlark(root) {
  const { readTree } = await loadSource(join(root, "src", "fs", "read-tree.ts"));
  return Buffer.from(`${JSON.stringify([...readTree(join(root, "starlark"))])}\n`);
}

/** An esbuild plugin: src/generate/starlark-files.ts resolves to a module reading the packed
 * file beside the chunk that holds it (lib/bundle/). */
export function packedStarlarkModule(root) {
  const source = join(root, "src", "generate", "starlark-files.js");
  return {
    name: "packed-starlark",
    setup(build) {
      build.onResolve({ filter: /\/starlark-files\.js$/ }, (args) => (resolve(dirname(args.importer), args.path) === source ? { path: source, namespace: "packed-starlark" } : undefined));
      build.onLoad({ filter: /.*/, namespace: "packed-starlark" }, () => ({
        contents: `import { readFileSync } from "node:fs";
import { join } from "node:path";
export function readStarlarkFiles() {
  return new Map(JSON.parse(readFileSync(join(__dirname, ${JSON.stringify(PACKED_STARLARK)}), "utf8")));
}
`,
        resolveDir: root,
        loader: "js",
      }));
    },
  };
}
