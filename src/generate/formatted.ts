// Generated Starlark goes through buildifier before it is written. A no-change init need not run
// it again: conda-bazel's cache directory records, for each text init formatted, a digest of what
// went in (with buildifier's version and the file type) and of what came out. When the text
// generated now has a record and the file or block on disk has the recorded output digest, the
// disk's text is buildifier's output byte for byte, and is used as it is. Anything else (no
// record, another buildifier, an edited file) runs buildifier. The records live in the user's
// cache, never in the checkout: a commit cannot vouch for text it edited. `init --check` always
// runs buildifier, so its verdict rests on no record at all.
import { createHash } from "node:crypto";
import { buildifierVersion, formatStarlark } from "../buildifier.js";
import { readCacheJson, writeCacheJson } from "../conda/cache-files.js";
import { readNoFollow, resolveInside } from "../fs/safe-path.js";
import { blockContents } from "../write/splice.js";
import type { GeneratedFile } from "./types.js";

const digest = (text: string): string => createHash("sha256").update(text).digest("hex");

const entryName = (input: string) => `buildifier-${input}.json`;

/** `files` with their Starlark formatted; with `reuse`, a cached record and matching disk text stand in for buildifier. */
export async function formatFiles(root: string, files: readonly GeneratedFile[], cacheDir: string, reuse: boolean): Promise<GeneratedFile[]> {
  const version = await buildifierVersion();
  return Promise.all(
    files.map(async (file) => {
      if (!file.starlark) return file;
      const input = digest(`${version}\0${file.starlark}\0${file.contents}`);
      const record = reuse ? (readCacheJson(cacheDir, entryName(input)) as { output?: unknown } | undefined) : undefined;
      const wanted = typeof record?.output === "string" ? record.output : undefined;
      const onDisk = wanted === undefined ? undefined : await currentText(root, file);
      if (onDisk !== undefined && digest(onDisk) === wanted) return { ...file, contents: onDisk };
      const contents = await formatStarlark(file.contents, file.starlark);
      writeCacheJson(cacheDir, entryName(input), { output: digest(contents) });
      return { ...file, contents };
    }),
  );
}

/** The file's text, or its block's, as it is on disk; undefined when there is none. */
async function currentText(root: string, file: GeneratedFile): Promise<string | undefined> {
  try {
    const { absolute, stats } = await resolveInside(root, file.path);
    if (!stats?.isFile()) return undefined;
    const bytes = readNoFollow(absolute);
    return file.kind === "file" ? bytes.toString("utf8") : blockContents(bytes, file.comment);
  } catch {
    // Planning reads it again and says why it cannot.
    return undefined;
  }
}
