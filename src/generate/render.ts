// The nunjucks environment of every text template: no HTML escaping (nothing here is HTML) and
// undefined values are errors. Values are escaped for their syntax (escape.ts) before they
// reach a template, so that a refusal is a UsageError of its own, not a template error.
import nunjucks from "nunjucks";

const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true });

/** `template` rendered with `context`. */
export function render(template: string, context: object): string {
  return env.renderString(template, context);
}
