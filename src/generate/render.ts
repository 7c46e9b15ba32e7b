// The nunjucks environment of every text template: no HTML escaping (nothing here is HTML) and
// undefined values are errors. Values are escaped for their syntax (escape.ts) before they
// reach a template, so that a refusal is a UsageError of its own, not a template error.
// This module compiles a template when it is rendered (the test runner, lib/); the bundle the
// package ships has every template of templates.ts precompiled instead, with these options, and
// loads only nunjucks' runtime (scripts/precompile-templates.mjs).
import nunjucks from "nunjucks";

export const OPTIONS = { autoescape: false, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true } as const;

const env = new nunjucks.Environment(null, OPTIONS);

/** `template` rendered with `context`. */
export function render(template: string, context: object): string {
  return env.renderString(template, context);
}
