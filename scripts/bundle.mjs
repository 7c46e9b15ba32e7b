#!/usr/bin/env node
// The CLI as the package ships it: src/cli.ts and what it imports bundled by esbuild into
// lib/bundle/ (one file per command, loaded on demand, shared code in chunks), which
// bin/conda-bazel.mjs loads. One file instead of hundreds (yaml alone is 83 modules) is most of
// what a no-change `init` costs beyond Node's own start (bench/init.mjs). Run after tsc, which
// type-checks and emits lib/ for the benchmarks that call modules directly.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { precompiledTemplates } from "./precompile-templates.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "lib", "bundle");
const { outputFiles } = await build({
  entryPoints: [join(root, "src", "cli.ts")],
  outdir,
  write: false,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  logLevel: "warning",
  plugins: [precompiledTemplates(root)],
  // Resolved at run time: the package ships a binary per platform beside its package.json.
  external: ["@bazel/buildifier"],
  // nunjucks is CommonJS and requires Node's built-ins; an ES module has no `require` of its own.
  banner: { js: 'import { createRequire as __conda_bazel_require } from "node:module"; const require = __conda_bazel_require(import.meta.url);' },
  // The environment schema's identity, for the validation cache (src/conda/validate.ts): the
  // bundle has no environment module of its own to read.
  define: { CONDA_BAZEL_SCHEMA_DIGEST: JSON.stringify(createHash("sha256").update(readFileSync(join(root, "src", "environment.ts"))).digest("hex")) },
});

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
