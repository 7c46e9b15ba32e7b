#!/usr/bin/env node
// The CLI as the package ships it: src/cli.ts and what it imports bundled by esbuild into
// lib/bundle/ (one file per command, loaded on demand, shared code in chunks), which
// bin/conda-bazel.cjs loads through src/code-cache.ts. One file instead of hundreds (yaml alone is
// 83 modules) is most of what a no-change `init` costs beyond Node's own start (bench/init.mjs).
// The chunks are CommonJS: an ES module importing node:fs makes Node build fs's whole namespace,
// loading its streams and promises API, and ES modules have no code cache on Node 20. esbuild
// splits only ES modules, so each chunk is split as one and then converted. It reads src/ and
// starlark/ only (packed into lib/bundle/starlark.json, scripts/packed-starlark.mjs): `npm run
// build` runs tsc first to type-check and to emit lib/ for the tests and benchmarks, but the
// package's own build (recipe/build.sh) runs this alone.
import { build, transform } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKED_STARLARK, packedStarlark, packedStarlarkModule } from "./packed-starlark.mjs";
import { precompiledTemplates } from "./precompile-templates.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "lib", "bundle");
const common = { bundle: true, platform: "node", target: "node20", minify: true, logLevel: "warning", write: false };
const split = await build({
  ...common,
  entryPoints: [join(root, "src", "cli.ts")],
  outdir,
  splitting: true,
  format: "esm",
  outExtension: { ".js": ".cjs" },
  plugins: [precompiledTemplates(root), packedStarlarkModule(root)],
  // Resolved at run time: the package ships a binary per platform beside its package.json.
  external: ["@bazel/buildifier"],
  // The environment schema's identity, for the validation cache (src/conda/validate.ts): the
  // bundle has no environment module of its own to read.
  define: { CONDA_BAZEL_SCHEMA_DIGEST: JSON.stringify(createHash("sha256").update(readFileSync(join(root, "src", "environment.ts"))).digest("hex")) },
});
const outputFiles = await Promise.all(
  split.outputFiles.map(async (file) => {
    // A dynamic import becomes a require of the chunk, which the loader serves; import.meta.url
    // is the chunk's own file, computed only in the chunks that use it.
    const { code } = await transform(file.text, {
      format: "cjs",
      platform: "node",
      target: "node20",
      minify: true,
      supported: { "dynamic-import": false },
      define: { "import.meta.url": "__import_meta_url" },
      banner: file.text.includes("import.meta.url") ? 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;' : "",
    });
    return { path: file.path, contents: Buffer.from(code) };
  }),
);
// The loader, on its own: the bin requires it before any chunk.
const loader = await build({ ...common, entryPoints: [join(root, "src", "code-cache.ts")], outfile: join(outdir, "code-cache.cjs"), format: "cjs" });
outputFiles.push(...loader.outputFiles);
outputFiles.push({ path: join(outdir, PACKED_STARLARK), contents: await packedStarlark(root) });

// Only what changed is written, and files of an earlier build are removed afterwards: a CLI
// running meanwhile (the tests run the demo, whose set-up builds, beside other tests) never
// finds a chunk missing or half-written (each is renamed into place).
mkdirSync(outdir, { recursive: true });
const wanted = new Set();
for (const file of outputFiles) {
  wanted.add(file.path);
  let current;
  try {
    current = readFileSync(file.path);
  } catch {
    current = undefined;
  }
  if (current?.equals(file.contents)) continue;
  writeFileSync(`${file.path}.tmp`, file.contents);
  renameSync(`${file.path}.tmp`, file.path);
}
for (const name of readdirSync(outdir)) if (!wanted.has(join(outdir, name))) rmSync(join(outdir, name), { force: true });
