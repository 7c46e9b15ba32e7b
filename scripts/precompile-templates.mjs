// The bundle's stand-in for src/generate/render.ts: every template of src/generate/templates.ts
// compiled at build time by nunjucks' own precompiler, with render.ts's options, so that a run
// loads nunjucks' runtime (two small modules) instead of its lexer, parser and compiler, and
// compiles nothing (about a fifth of a no-change `init`, bench/init.mjs). The templates and
// options are read from src/ through esbuild, so that the bundle needs no tsc before it: the
// package's own build (recipe/build.sh) ships only the bundle, and skips tsc's type-check.
import { dirname, join, resolve } from "node:path";
import nunjucks from "nunjucks";
import { loadSource } from "./load-source.mjs";

/** The module's source: a map from template text to its compiled root function, and `render`
 * calling one as nunjucks' Template.render does (a fresh top-level frame; the context's lookup,
 * these templates naming no nunjucks global). */
async function renderModule(root) {
  const { OPTIONS } = await loadSource(join(root, "src", "generate", "render.ts"));
  const templates = await loadSource(join(root, "src", "generate", "templates.ts"));
  const env = new nunjucks.Environment(null, OPTIONS);
  const entries = Object.values(templates).map((text) => {
    const code = nunjucks.precompileString(text, { name: "template", env, wrapper: ([t]) => t.template });
    return `[${JSON.stringify(text)}, (function () {\n${code}\n})().root]`;
  });
  return `import runtime from "nunjucks/src/runtime.js";
const ROOTS = new Map([${entries.join(",\n")}]);
const env = { opts: ${JSON.stringify(OPTIONS)} };
export function render(template, context) {
  const root = ROOTS.get(template);
  if (root === undefined) throw new Error("a template missing from src/generate/templates.ts was not precompiled: " + JSON.stringify(template.slice(0, 60)));
  const frame = new runtime.Frame();
  frame.topLevel = true;
  let result;
  root(env, { lookup: (name) => context[name] }, frame, runtime, (error, output) => {
    if (error) throw error;
    result = output;
  });
  return result;
}
`;
}

/** An esbuild plugin: src/generate/render.ts resolves to the precompiled module. */
export function precompiledTemplates(root) {
  const source = join(root, "src", "generate", "render.js");
  return {
    name: "precompiled-templates",
    setup(build) {
      build.onResolve({ filter: /\/render\.js$/ }, (args) => (resolve(dirname(args.importer), args.path) === source ? { path: source, namespace: "precompiled-templates" } : undefined));
      build.onLoad({ filter: /.*/, namespace: "precompiled-templates" }, async () => ({ contents: await renderModule(root), resolveDir: root, loader: "js" }));
    },
  };
}
