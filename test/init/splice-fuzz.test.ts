// The managed-block splicer over random bytes: CRLF and lone CR, a BOM, invalid UTF-8, markers
// mid-line, with trailing blanks, unpaired or doubled. Whatever the input, the splicer either
// refuses it with a UsageError or keeps every user byte outside the block, and a second splice
// changes nothing.
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import type { ManagedBlock } from "../../src/generate/types.js";
import { BEGIN_MARKER, END_MARKER, spliceBlock } from "../../src/write/splice.js";

const BEGIN = `# ${BEGIN_MARKER}`;
const END = `# ${END_MARKER}`;
const BOM = "\xef\xbb\xbf";
const block = (contents: string): ManagedBlock => ({ kind: "block", path: ".bazelrc", comment: "#", contents });

/** mulberry32: a seeded generator, so that a failure is reproducible from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Bytes as latin1 strings: one character per byte, any byte.
const PIECES = ["\n", "\r\n", "\r", BOM, "# ", "\xe9", "\xff\xfe", "\xc3", "build --jobs=2", BEGIN.slice(0, 20), END.slice(0, 9), `x ${BEGIN}`, `${END} `, `\t${END}`, "\0"];

function userBytes(rand: () => number): string {
  let out = "";
  const n = Math.floor(rand() * 12);
  for (let i = 0; i < n; i++) out += rand() < 0.5 ? PIECES[Math.floor(rand() * PIECES.length)]! : String.fromCharCode(Math.floor(rand() * 256));
  return out;
}

/** Whether a line of `text` is exactly a marker (the definition, written independently of the
 * splicer); at the start of a file, a marker behind a BOM counts too (it is refused). */
const hasMarkerLine = (text: string, fileStart = false) =>
  text.split("\n").some((line, i) => [BEGIN, END].includes((fileStart && i === 0 ? line.replace(/^\xef\xbb\xbf/, "") : line).replace(/\r$/, "")));

const bytes = (latin1: string) => Buffer.from(latin1, "latin1");

describe("spliceBlock over random bytes", () => {
  it("keeps every user byte outside the block, or refuses with a UsageError; a second splice is a fixed point", () => {
    const counts = { appended: 0, replaced: 0, refused: 0 };
    for (let seed = 1; seed <= 4000; seed++) {
      const rand = random(seed);
      let head = userBytes(rand);
      const tail = userBytes(rand);
      const inner = userBytes(rand);
      const withBlock = rand() < 0.6;
      const doubled = withBlock && rand() < 0.1;
      // A BOM right before the block is refused; any other head ends with a line break.
      const bom = withBlock && rand() < 0.05;
      if (bom) head = BOM;
      else if (withBlock && head !== "" && !head.endsWith("\n")) head += rand() < 0.5 ? "\n" : "\r\n";
      if (withBlock && hasMarkerLine(`${inner}\n`)) continue;
      const eol = rand() < 0.5 ? "\n" : "\r\n";
      const old = withBlock ? `${BEGIN}${eol}${inner}${inner.endsWith("\n") || inner === "" ? "" : eol}${END}${tail === "" ? "" : eol}` : "";
      const input = head + old + (doubled ? `${eol}${BEGIN}${eol}` : "") + tail;
      const expectRefusal = bom || doubled || hasMarkerLine(head, true) || hasMarkerLine(tail) || (!withBlock && hasMarkerLine(input, true));
      let out: Buffer;
      try {
        out = spliceBlock(bytes(input), block("build --config=x\n"));
      } catch (error) {
        expect(error, `seed ${seed}`).toBeInstanceOf(UsageError);
        expect(expectRefusal, `seed ${seed}: refused ${JSON.stringify(input)}: ${(error as Error).message}`).toBe(true);
        counts.refused += 1;
        continue;
      }
      expect(expectRefusal, `seed ${seed}: accepted ${JSON.stringify(input)}`).toBe(false);
      const text = out.toString("latin1");
      if (withBlock) {
        expect(text.startsWith(head), `seed ${seed}`).toBe(true);
        expect(text.endsWith(tail), `seed ${seed}`).toBe(true);
        expect(text.slice(head.length, text.length - tail.length)).toMatch(new RegExp(`^# BEGIN conda-bazel .*\\r?\\nbuild --config=x\\r?\\n# END conda-bazel\\r?\\n$`));
        counts.replaced += 1;
      } else {
        expect(text.startsWith(input), `seed ${seed}`).toBe(true);
        counts.appended += 1;
      }
      expect(spliceBlock(out, block("build --config=x\n")).equals(out), `seed ${seed}`).toBe(true);
    }
    // Every kind of case was met many times.
    expect(Math.min(counts.appended, counts.replaced, counts.refused)).toBeGreaterThan(100);
  });
});
