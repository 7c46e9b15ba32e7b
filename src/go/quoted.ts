// Go splits CC, CXX, CGO_*FLAGS and -extldflags with cmd/internal/quoted: words separated by
// spaces, a word may be wrapped in single or double quotes, there are no escapes. This is its Join.
import { UsageError } from "../errors.js";

/** Joins words so that Go's quoted.Split gives them back unchanged. */
export function joinQuoted(words: readonly string[]): string {
  return words
    .map((word) => {
      if (word !== "" && !/[\s'"]/.test(word)) return word;
      if (!word.includes("'")) return `'${word}'`;
      if (!word.includes('"')) return `"${word}"`;
      throw new UsageError(`cannot pass ${JSON.stringify(word)} to go: it holds both kinds of quote`, "move the file or directory to a path without quotes");
    })
    .join(" ");
}
