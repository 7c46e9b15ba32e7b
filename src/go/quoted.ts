// Go splits CC, CXX, CGO_*FLAGS and -extldflags with cmd/internal/quoted: words separated by
// spaces, a word may be wrapped in single or double quotes, there are no escapes. This is its Join and its Split.
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

/** Go's quoted.Split: the words of `text`; a quote left open is refused. */
export function splitQuoted(text: string, what: string): string[] {
  const words: string[] = [];
  const pattern = /[ \t\n\r]*(?:(["'])(.*?)\1|(["'])|([^ \t\n\r]+))/gsy;
  for (let match = pattern.exec(text); match && match[0] !== ""; match = pattern.exec(text)) {
    if (match[3]) throw new UsageError(`${what} has an unterminated ${match[3]} string`, "close the quote");
    words.push(match[2] ?? match[4]!);
  }
  return words;
}
