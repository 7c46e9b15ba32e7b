// Managed blocks spliced into files the user owns, as bytes: whatever encoding, line endings or
// invalid UTF-8 the user's lines hold, every byte outside conda-bazel's markers is kept.
import { UsageError } from "../errors.js";
import type { ManagedBlock } from "../generate/types.js";

export const BEGIN_MARKER = "BEGIN conda-bazel (managed by `conda-bazel init`; edits inside this block are overwritten)";
export const END_MARKER = "END conda-bazel";

const NEWLINE = 0x0a;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

interface LineSpan {
  /** The line without its terminator (`\n` or `\r\n`). */
  readonly bytes: Buffer;
  readonly start: number;
  /** Offset just past the line's terminator. */
  readonly end: number;
}

function lineSpans(bytes: Buffer): LineSpan[] {
  const spans: LineSpan[] = [];
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline + 1;
    let stop = newline === -1 ? end : newline;
    if (newline !== -1 && stop > start && bytes[stop - 1] === 0x0d) stop -= 1;
    spans.push({ bytes: bytes.subarray(start, stop), start, end });
    start = end;
  }
  return spans;
}

function endsWith(bytes: Buffer, suffix: string): boolean {
  const tail = Buffer.from(suffix);
  return bytes.length >= tail.length && bytes.subarray(bytes.length - tail.length).equals(tail);
}

/** `existing` with `block` placed between the markers: replacing the old block, or appended
 * when there is none. Refuses a file whose markers are unpaired, rather than guess. */
export function spliceBlock(existing: Buffer | null, block: ManagedBlock): Buffer {
  const begin = `${block.comment} ${BEGIN_MARKER}`;
  const end = `${block.comment} ${END_MARKER}`;
  const bytes = existing ?? Buffer.alloc(0);
  // A final lone CR would pair with an appended LF into a CRLF, and the next run would then
  // rewrite the block with CRLF endings: take CRLF at once.
  const eol = bytes.includes("\r\n") || bytes[bytes.length - 1] === 0x0d ? "\r\n" : "\n";
  const body = Buffer.from([begin, ...block.contents.replace(/\n$/, "").split("\n"), end].join(eol) + eol);

  const lines = lineSpans(bytes);
  const [beginBytes, endBytes] = [Buffer.from(begin), Buffer.from(end)];
  const first = lines[0]?.bytes;
  if (first && first.subarray(0, BOM.length).equals(BOM) && (first.subarray(BOM.length).equals(beginBytes) || first.subarray(BOM.length).equals(endBytes))) {
    // Bazel reads the mark as part of the first word, so the block would not be a comment.
    throw new UsageError(`${block.path} starts with a UTF-8 byte-order mark before conda-bazel's marker`, `remove the first three bytes of ${block.path} (the BOM) and run init again`);
  }
  const begins = lines.filter((l) => l.bytes.equals(beginBytes));
  const ends = lines.filter((l) => l.bytes.equals(endBytes));
  if (begins.length === 0 && ends.length === 0) {
    // A blank line between the user's last line and the block, as a formatter would leave it.
    const separator = bytes.length === 0 || endsWith(bytes, eol + eol) ? "" : endsWith(bytes, "\n") ? eol : eol + eol;
    return Buffer.concat([bytes, Buffer.from(separator), body]);
  }
  const open = begins[0];
  const close = ends[0];
  if (begins.length !== 1 || ends.length !== 1 || !open || !close || close.start < open.start) {
    const problem = begins.length === 0 ? "an end marker without a begin marker" : ends.length === 0 ? "a begin marker without an end marker" : "more than one or misordered conda-bazel markers";
    throw new UsageError(`${block.path} has ${problem}; refusing to overwrite it`, `restore the '${begin}' ... '${end}' pair, or delete the partial block`);
  }
  return Buffer.concat([bytes.subarray(0, open.start), body, bytes.subarray(close.end)]);
}

/** The lines between the markers of `existing`, each ending with `\n`, as a block's `contents`
 * would be; undefined unless it holds exactly one pair in order. */
export function blockContents(existing: Buffer, comment: string): string | undefined {
  const lines = lineSpans(existing);
  const at = (marker: string) => lines.flatMap((l, i) => (l.bytes.equals(Buffer.from(`${comment} ${marker}`)) ? [i] : []));
  const [begins, ends] = [at(BEGIN_MARKER), at(END_MARKER)];
  if (begins.length !== 1 || ends.length !== 1 || ends[0]! < begins[0]!) return undefined;
  return lines
    .slice(begins[0]! + 1, ends[0]!)
    .map((l) => `${l.bytes.toString("utf8")}\n`)
    .join("");
}
