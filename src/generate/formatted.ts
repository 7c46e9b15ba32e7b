// Generated Starlark goes through buildifier before it is written. A no-change init need not run
// it again: the vendored directory's manifest records, for each text init formatted, a digest of
// what went in (with buildifier's version and the file type) and of what came out. When the text
// generated now has a record and the file or block on disk has the recorded output digest, the
// disk's text is buildifier's output byte for byte, and is used as it is. Anything else (no
// record, another buildifier, an edited file) runs buildifier. `init --check` always runs it: its
// verdict must not rest on a record committed together with the files it checks.
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { readFile } from "node:fs/promises";
import { buildifierVersion, formatStarlark } from "../buildifier.js";
import { resolveInside } from "../fs/safe-path.js";
import { blockContents } from "../write/splice.js";
import type { GeneratedFile } from "./types.js";

const RECORD = "formatted ";

const digest = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The records in the manifest at `manifest` (workspace-relative): input digest to output digest. */
export async function recordedFormatting(root: string, manifest: string): Promise<Map<string, string>> {
  const records = new Map<string, string>();
  for (const line of (await readInside(root, manifest))?.toString("utf8").split("\n") ?? []) {
    const [input, output] = line.startsWith(`# ${RECORD}`) ? line.slice(2 + RECORD.length).split(" ") : [];
    if (input && output) records.set(input, output);
  }
  return records;
}

export interface Formatted {
  readonly files: GeneratedFile[];
  /** Manifest lines recording this run's formatting, for the next run. */
  readonly records: string[];
}

/** `files` with their Starlark formatted; `reuse` lets a matching record and disk text stand in for buildifier. */
export async function formatFiles(root: string, files: readonly GeneratedFile[], records: ReadonlyMap<string, string>, reuse: boolean): Promise<Formatted> {
  const version = await buildifierVersion();
  const done = await Promise.all(
    files.map(async (file) => {
      if (!file.starlark) return { file, record: undefined };
      const input = digest(`${version}\0${file.starlark}\0${file.contents}`);
      const wanted = reuse ? records.get(input) : undefined;
      const onDisk = wanted === undefined ? undefined : await currentText(root, file);
      const contents = onDisk !== undefined && digest(onDisk) === wanted ? onDisk : await formatStarlark(file.contents, file.starlark);
      return { file: { ...file, contents }, record: `${RECORD}${input} ${digest(contents)}` };
    }),
  );
  return { files: done.map((d) => d.file), records: done.flatMap((d) => (d.record ? [d.record] : [])).sort() };
}

/** The file's text, or its block's, as it is on disk; undefined when there is none. */
async function currentText(root: string, file: GeneratedFile): Promise<string | undefined> {
  const bytes = await readInside(root, file.path);
  if (bytes === undefined) return undefined;
  return file.kind === "file" ? bytes.toString("utf8") : blockContents(bytes, file.comment);
}

/** A regular file's bytes, never through a link; undefined when it cannot be read so (planning
 * reads it again and says why). */
async function readInside(root: string, path: string): Promise<Buffer | undefined> {
  try {
    const { absolute, stats } = await resolveInside(root, path);
    return stats?.isFile() ? await readFile(absolute, { flag: constants.O_RDONLY | constants.O_NOFOLLOW }) : undefined;
  } catch {
    return undefined;
  }
}
