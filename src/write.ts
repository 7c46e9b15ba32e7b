// The only module that writes into the user's workspace. Whole files are replaced; managed
// blocks are spliced between their markers with every byte outside them kept (CRLF endings
// and a missing final newline included). Writes are atomic (temp file + rename in the same
// directory) and skipped when the bytes would not change, so an unchanged file keeps its mtime.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { UsageError } from "./errors.js";
import type { GeneratedFile, ManagedBlock } from "./generate/types.js";

export const BEGIN_MARKER = "BEGIN conda-bazel (managed by `conda-bazel init`; edits inside this block are overwritten)";
export const END_MARKER = "END conda-bazel";

export type Action = "create" | "update" | "unchanged" | "delete";

/** What writing one generated file would do. */
export interface Change {
  readonly path: string;
  readonly absolute: string;
  readonly kind: GeneratedFile["kind"] | "stale";
  readonly before: string | null;
  readonly after: string;
  /** Set when the file must be (or become) executable. */
  readonly executable: boolean;
  readonly machineLocal: boolean;
  readonly action: Action;
}

/** `existing` with `block` placed between the markers: replacing the old block, or appended
 * when there is none. Refuses a file whose markers are unpaired, rather than guess. */
export function spliceBlock(existing: string | null, block: ManagedBlock): string {
  const begin = `${block.comment} ${BEGIN_MARKER}`;
  const end = `${block.comment} ${END_MARKER}`;
  const text = existing ?? "";
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const body = [begin, ...block.contents.replace(/\n$/, "").split("\n"), end].join(eol) + eol;

  const lines = lineSpans(text);
  const begins = lines.filter((l) => l.text === begin);
  const ends = lines.filter((l) => l.text === end);
  if (begins.length === 0 && ends.length === 0) {
    // A blank line between the user's last line and the block, as a formatter would leave it.
    const separator = text === "" ? "" : text.endsWith(eol + eol) ? "" : text.endsWith("\n") ? eol : eol + eol;
    return text + separator + body;
  }
  const first = begins[0];
  const last = ends[0];
  if (begins.length !== 1 || ends.length !== 1 || !first || !last || last.start < first.start) {
    const problem = begins.length === 0 ? "an end marker without a begin marker" : ends.length === 0 ? "a begin marker without an end marker" : "more than one or misordered conda-bazel markers";
    throw new UsageError(`${block.path} has ${problem}; refusing to overwrite it`, `restore the '${begin}' ... '${end}' pair, or delete the partial block`);
  }
  return text.slice(0, first.start) + body + text.slice(last.end);
}

interface LineSpan {
  readonly text: string;
  readonly start: number;
  /** Offset just past the line's terminator. */
  readonly end: number;
}

function lineSpans(text: string): LineSpan[] {
  const spans: LineSpan[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline + 1;
    spans.push({ text: text.slice(start, end).replace(/\r?\n$/, ""), start, end });
    start = end;
  }
  return spans;
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** What writing `files` into `root` would change, without writing anything. Files under an
 * `owned` directory (one conda-bazel writes whole) that are no longer generated are deleted. */
export async function planChanges(root: string, files: readonly GeneratedFile[], owned: readonly string[] = []): Promise<Change[]> {
  const planned = await Promise.all(
    files.map(async (file): Promise<Change> => {
      const absolute = join(root, file.path);
      const before = await readIfExists(absolute);
      const after = file.kind === "file" ? file.contents : spliceBlock(before, file);
      const executable = file.kind === "file" && file.executable === true;
      const modeDrift = executable && before !== null && ((await stat(absolute)).mode & 0o100) === 0;
      const action: Action = before === null ? "create" : before === after && !modeDrift ? "unchanged" : "update";
      return { path: file.path, absolute, kind: file.kind, before, after, executable, machineLocal: file.machineLocal === true, action };
    }),
  );
  const generated = new Set(files.map((f) => f.path));
  const stale = await Promise.all(
    owned.map(async (dir) => {
      const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true }).catch(() => []);
      const paths = entries.filter((e) => !e.isDirectory()).map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join("/"));
      return Promise.all(
        paths
          .filter((p) => !generated.has(p))
          .sort()
          .map(async (path): Promise<Change> => {
            const absolute = join(root, path);
            return { path, absolute, kind: "stale", before: await readFile(absolute, "utf8"), after: "", executable: false, machineLocal: false, action: "delete" };
          }),
      );
    }),
  );
  return [...planned, ...stale.flat()];
}

/** Writes every changed file atomically; unchanged files are not touched. */
export async function applyChanges(changes: readonly Change[]): Promise<void> {
  for (const change of changes) {
    if (change.action === "unchanged") continue;
    if (change.action === "delete") {
      await rm(change.absolute, { force: true });
      continue;
    }
    await mkdir(dirname(change.absolute), { recursive: true });
    const existing = (await stat(change.absolute).catch(() => undefined))?.mode;
    const mode = change.executable ? 0o755 : existing;
    const temp = join(dirname(change.absolute), `.${randomBytes(6).toString("hex")}.conda-bazel.tmp`);
    try {
      await writeFile(temp, change.after, mode === undefined ? {} : { mode: mode & 0o7777 });
      await rename(temp, change.absolute);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

/** A unified diff (`diff -u`) of one change, labelled with its workspace-relative path. */
export async function unifiedDiff(change: Change): Promise<string> {
  if (change.action === "unchanged") return "";
  const scratch = await mkdtemp(join(tmpdir(), "conda-bazel-diff-"));
  try {
    const before = join(scratch, "before");
    const after = join(scratch, "after");
    await writeFile(before, change.before ?? "");
    await writeFile(after, change.after);
    const from = change.before === null ? "/dev/null" : `a/${change.path}`;
    const { execa } = await import("execa");
    const to = change.action === "delete" ? "/dev/null" : `b/${change.path}`;
    const result = await execa("diff", ["-u", "--label", from, "--label", to, before, after], { reject: false, stripFinalNewline: false });
    if (result.exitCode !== 0 && result.exitCode !== 1) throw new Error(`diff failed: ${result.stderr}`);
    return result.stdout;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
