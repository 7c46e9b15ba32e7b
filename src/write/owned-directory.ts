// The directories conda-bazel writes whole (the vendored Starlark, the rules_go package). A
// manifest in each records the
// files conda-bazel wrote, and only those are ever deleted: a directory listing cannot tell
// conda-bazel's stale files from the user's, and a directory the user pointed init at by mistake
// (`.`, `src`, `.git`) holds files conda-bazel must neither delete nor overwrite.
import { lstatSync, readdirSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { normaliseRelative, readNoFollow, resolveInside } from "../fs/safe-path.js";
import type { GeneratedFile, WholeFile } from "../generate/types.js";
import { isTempName } from "./temp-files.js";

const MANIFEST_FILE = ".conda-bazel-manifest";

const MANIFEST_HEADER = "# The files `conda-bazel init` wrote in this directory; it deletes only these when a release\n# no longer ships them. Do not edit.\n";

/** A file that a release before the manifest wrote (0.1.0), recognised by how it begins; it
 * vouches for `files`, the paths that release wrote beside it. */
export interface LegacySignature {
  readonly path: string;
  readonly start: string;
  readonly files: readonly string[];
}

/** A directory conda-bazel writes whole. */
export interface OwnedDirectory {
  /** Workspace-relative, normalised. */
  readonly dir: string;
  /** The setting that places it, named in messages. */
  readonly setting: string;
  readonly legacy: readonly LegacySignature[];
}

export interface OwnedPlan {
  /** The manifest to write (every file generated under the directory); unset when nothing is. */
  readonly manifest: WholeFile | undefined;
  /** Workspace-relative paths of files conda-bazel wrote earlier and no longer generates (and
   * the manifest itself once nothing is generated there). */
  readonly stale: readonly string[];
}

/** Checks that conda-bazel may own `dir` and what to delete in it. While init generates files
 * there, refused: a managed block of a user file inside it, anything in it that is not a regular
 * file or directory, and a file conda-bazel did not record that does not already hold what it
 * would write. Once it generates nothing there (a feature switched off), only the recorded
 * files go and everything else stays. */
export async function planOwnedDirectory(root: string, owned: OwnedDirectory, files: readonly GeneratedFile[]): Promise<OwnedPlan> {
  const { dir, setting } = owned;
  const within = (path: string) => (path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined);
  const generated = new Map<string, string>();
  for (const file of files) {
    const rel = within(file.path);
    if (rel === undefined) continue;
    if (file.kind !== "file") {
      throw new UsageError(`${file.path} (a file with a conda-bazel block) is inside ${setting} ${dir}, which conda-bazel writes whole`, `set init.condaBuildConfig or ${setting} so that neither contains the other`);
    }
    generated.set(rel, file.contents);
  }
  const manifest: WholeFile | undefined =
    generated.size === 0 ? undefined : { kind: "file", path: `${dir}/${MANIFEST_FILE}`, contents: MANIFEST_HEADER + [...generated.keys()].sort().map((p) => `${p}\n`).join("") };

  const { absolute, stats } = await resolveInside(root, dir);
  if (stats === undefined) return { manifest, stale: [] };
  if (!stats.isDirectory()) {
    if (manifest === undefined) return { manifest, stale: [] };
    throw new UsageError(`${setting} ${dir} is not a directory`, `move ${dir} away or set ${setting} to a new directory`);
  }

  if (manifest === undefined) return { manifest, stale: leftovers(absolute, owned) };
  const present = walk(absolute, dir, setting);
  const recorded = recordedFiles(absolute, owned, present);
  for (const rel of present) {
    if (rel === MANIFEST_FILE || recorded.has(rel)) continue;
    const wanted = generated.get(rel);
    // A run killed before it wrote the manifest left files that already hold what this run writes
    // (read without following a link swapped in since the walk saw a regular file).
    if (wanted !== undefined && readNoFollow(join(absolute, rel)).equals(Buffer.from(wanted))) continue;
    throw new UsageError(
      `${dir}/${rel} was not written by conda-bazel (it is not in ${dir}/${MANIFEST_FILE}), and ${setting} is conda-bazel's alone`,
      `move ${dir}/${rel} out of ${dir}, or set ${setting} to a directory of its own`,
    );
  }
  const stale = [...recorded].filter((rel) => present.has(rel) && !generated.has(rel)).sort();
  return { manifest, stale: stale.map((rel) => `${dir}/${rel}`) };
}

/** What conda-bazel wrote in a directory it no longer writes to, the manifest last: only those
 * files are looked at, so whatever else the user keeps there (links included) is left alone. */
function leftovers(absolute: string, owned: OwnedDirectory): string[] {
  const regular = (rel: string) => {
    try {
      return lstatSync(join(absolute, rel)).isFile() ? [rel] : [];
    } catch {
      return [];
    }
  };
  const signatures = new Set([MANIFEST_FILE, ...owned.legacy.map((l) => l.path)]);
  const present = new Set([...signatures].flatMap(regular));
  const recorded = recordedFiles(absolute, owned, present);
  const found = [...recorded].sort().flatMap(regular);
  return [...found, ...(present.has(MANIFEST_FILE) ? [MANIFEST_FILE] : [])].map((rel) => `${owned.dir}/${rel}`);
}

/** Every regular file under `absolute`, relative to it; links and special files are refused, never followed. */
function walk(absolute: string, shown: string, setting: string): Set<string> {
  const found = new Set<string>();
  const visit = (rel: string): void => {
    const entries: Dirent[] = readdirSync(join(absolute, rel), { withFileTypes: true });
    for (const entry of entries) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) {
        if (!isTempName(entry.name)) found.add(path);
      } else {
        const what = entry.isSymbolicLink() ? "a symbolic link" : entry.isFIFO() ? "a named pipe (FIFO)" : entry.isSocket() ? "a socket" : "a device file";
        throw new UsageError(`${shown}/${path} is ${what}; conda-bazel keeps only its own regular files in ${setting}`, `remove ${shown}/${path}`);
      }
    }
  };
  visit("");
  return found;
}

/** The files the manifest (or, before it existed, 0.1.0's layout) says conda-bazel wrote. */
function recordedFiles(absolute: string, { dir, legacy }: OwnedDirectory, present: ReadonlySet<string>): Set<string> {
  if (!present.has(MANIFEST_FILE)) {
    return new Set(legacy.flatMap(({ path, start, files }) => (present.has(path) && readNoFollow(join(absolute, path)).toString("utf8").startsWith(start) ? files : [])));
  }
  const text = readNoFollow(join(absolute, MANIFEST_FILE)).toString("utf8");
  const entries = text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
  for (const entry of entries) {
    let normal: string | undefined;
    try {
      normal = normaliseRelative(entry);
    } catch {
      normal = undefined;
    }
    if (normal !== entry || normal === MANIFEST_FILE) {
      throw new UsageError(`${dir}/${MANIFEST_FILE} lists '${entry}', which is not a file inside ${dir}`, `restore ${dir}/${MANIFEST_FILE} from version control, or delete it together with ${dir}`);
    }
  }
  return new Set(entries);
}
