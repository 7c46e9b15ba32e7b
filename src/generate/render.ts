// The nunjucks environment of every text template: no HTML escaping (nothing here is HTML),
// undefined values are errors, and values reach the text only through the escaping filters.
import nunjucks from "nunjucks";
import { rcWord, starlarkString } from "./escape.js";

const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true });
env.addFilter("rc", (value: string, what: string) => rcWord(value, what));
env.addFilter("starlark", (value: string, what: string) => starlarkString(value, what));

/** `template` rendered with `context`. */
export function render(template: string, context: object): string {
  return env.renderString(template, context);
}
