// Escaping of values written into .bazelrc files and Starlark. A value that cannot be
// represented (a line break in an rc file, a control character anywhere) is refused with a
// UsageError naming what carried it, rather than written in a form that means something else.
import { UsageError } from "../errors.js";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function refuseControl(value: string, what: string, where: string): void {
  if (CONTROL.test(value)) {
    const kind = /[\r\n]/.test(value) ? "a line break" : "a control character";
    throw new UsageError(`${what} contains ${kind}, which ${where} cannot hold: ${JSON.stringify(value)}`, `use a path or value without it`);
  }
}

/** One word of an rc file line. Bazel's rc tokenizer splits on whitespace, strips quotes and
 * takes a backslash as "the next character is literal", and `#` starts a comment, so each of
 * those characters is backslash-escaped (verified against Bazel 4.2.3: the value reaches an
 * action's environment unchanged). */
export function rcWord(value: string, what: string): string {
  refuseControl(value, what, "a .bazelrc line");
  return value.replace(/[\s"'\\#]/g, (c) => `\\${c}`);
}

/** A Starlark string literal. */
export function starlarkString(value: string, what: string): string {
  refuseControl(value, what, "a Starlark string");
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
