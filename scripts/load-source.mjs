// Runs a module of src/ at build time, without tsc: esbuild bundles it with what it imports and
// Node loads the result from memory. The bundle's plugins (scripts/precompile-templates.mjs,
// scripts/packed-starlark.mjs) use it, so that the package's own build (recipe/build.sh) needs
// only esbuild.
import { build } from "esbuild";

/** The exports of a module of src/, bundled with what it imports and loaded from memory (the
 * CommonJS packages among them, nunjucks for one, get a real require for Node's modules). */
export async function loadSource(file) {
  const banner = `import { createRequire } from "node:module"; const require = createRequire(${JSON.stringify(file)});`;
  const { outputFiles } = await build({ entryPoints: [file], bundle: true, platform: "node", format: "esm", write: false, logLevel: "warning", banner: { js: banner } });
  return import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].contents).toString("base64")}`);
}
