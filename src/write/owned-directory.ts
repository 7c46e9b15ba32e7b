// The directory conda-bazel writes whole (the vendored Starlark). A manifest in it records the
// files conda-bazel wrote, and only those are ever deleted: a directory listing cannot tell
// conda-bazel's stale files from the user's, and a directory the user pointed init at by mistake
// (`.`, `src`, `.git`) holds files conda-bazel must neither delete nor overwrite.
import { constants, type Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { normaliseRelative, resolveInside } from "../fs/safe-path.js";
import type { GeneratedFile, WholeFile } from "../generate/types.js";
import { isTempName } from "./temp-files.js";

const MANIFEST_FILE = ".conda-bazel-manifest";

/** The walk saw regular files; a link swapped in since then is still not followed. */
const NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;

const MANIFEST_HEADER = "# The files `conda-bazel init` wrote in this directory; it deletes only these when a release\n# no longer ships them. Do not edit.\n";

// conda-bazel 0.1.0 vendored without a manifest; its files are recognised by this table's first
// line and its file list, so that an upgrade removes what 0.1.0 wrote and nothing else.
const LEGACY_SIGNATURE = { path: "private/targets.bzl", start: `"""conda-bazel's target table` };
const LEGACY_FILES = [
  "BUILD.bazel",
  "MODULE.bazel",
  "WORKSPACE",
  "defs.bzl",
  "extensions.bzl",
  "go/BUILD.bazel",
  "go/defs.bzl",
  "go/go_c_shared.sh",
  "go/repository.bzl",
  "go/toolchain.bzl",
  "private/BUILD.bazel",
  "private/callout.bzl",
  "private/cc_toolchain_config.bzl",
  "private/environment_repository.bzl",
  "private/render.bzl",
  "private/targets.bzl",
  "private/toolchains.bzl",
];

export interface OwnedPlan {
  /** The manifest to write: every file generated under the directory. */
  readonly manifest: WholeFile;
  /** Workspace-relative paths of files conda-bazel wrote earlier and no longer generates. */
  readonly stale: readonly string[];
}

/** Checks that conda-bazel may own `dir` (workspace-relative, normalised) and what to delete in it.
 * Refused: a managed block of a user file inside it, anything in it that is not a regular file or
 * directory, and a file conda-bazel did not record that does not already hold what it would write. */
export async function planOwnedDirectory(root: string, dir: string, files: readonly GeneratedFile[]): Promise<OwnedPlan> {
  const within = (path: string) => (path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined);
  const generated = new Map<string, string>();
  for (const file of files) {
    const rel = within(file.path);
    if (rel === undefined) continue;
    if (file.kind !== "file") {
      throw new UsageError(`${file.path} (a file with a conda-bazel block) is inside init.starlarkDirectory ${dir}, which conda-bazel writes whole`, "set init.condaBuildConfig or init.starlarkDirectory so that neither contains the other");
    }
    generated.set(rel, file.contents);
  }
  const manifest: WholeFile = { kind: "file", path: `${dir}/${MANIFEST_FILE}`, contents: MANIFEST_HEADER + [...generated.keys()].sort().map((p) => `${p}\n`).join("") };

  const { absolute, stats } = await resolveInside(root, dir);
  if (stats === undefined) return { manifest, stale: [] };
  if (!stats.isDirectory()) throw new UsageError(`init.starlarkDirectory ${dir} is not a directory`, `move ${dir} away or set init.starlarkDirectory to a new directory`);

  const present = await walk(absolute, dir);
  const recorded = await recordedFiles(absolute, dir, present);
  for (const rel of present) {
    if (rel === MANIFEST_FILE || recorded.has(rel)) continue;
    const wanted = generated.get(rel);
    // A run killed before it wrote the manifest left files that already hold what this run writes.
    if (wanted !== undefined && (await readFile(join(absolute, rel), { flag: NO_FOLLOW })).equals(Buffer.from(wanted))) continue;
    throw new UsageError(
      `${dir}/${rel} was not written by conda-bazel (it is not in ${dir}/${MANIFEST_FILE}), and init.starlarkDirectory is conda-bazel's alone`,
      `move ${dir}/${rel} out of ${dir}, or set init.starlarkDirectory to a directory of its own`,
    );
  }
  const stale = [...recorded].filter((rel) => present.has(rel) && !generated.has(rel)).sort();
  return { manifest, stale: stale.map((rel) => `${dir}/${rel}`) };
}

/** Every regular file under `absolute`, relative to it; links and special files are refused, never followed. */
async function walk(absolute: string, shown: string): Promise<Set<string>> {
  const found = new Set<string>();
  const visit = async (rel: string): Promise<void> => {
    const entries: Dirent[] = await readdir(join(absolute, rel), { withFileTypes: true });
    for (const entry of entries) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) {
        if (!isTempName(entry.name)) found.add(path);
      } else {
        const what = entry.isSymbolicLink() ? "a symbolic link" : entry.isFIFO() ? "a named pipe (FIFO)" : entry.isSocket() ? "a socket" : "a device file";
        throw new UsageError(`${shown}/${path} is ${what}; conda-bazel keeps only its own regular files in init.starlarkDirectory`, `remove ${shown}/${path}`);
      }
    }
  };
  await visit("");
  return found;
}

/** The files the manifest (or, before it existed, 0.1.0's layout) says conda-bazel wrote. */
async function recordedFiles(absolute: string, dir: string, present: ReadonlySet<string>): Promise<Set<string>> {
  if (!present.has(MANIFEST_FILE)) {
    const legacy = present.has(LEGACY_SIGNATURE.path) && (await readFile(join(absolute, LEGACY_SIGNATURE.path), { encoding: "utf8", flag: NO_FOLLOW })).startsWith(LEGACY_SIGNATURE.start);
    return new Set(legacy ? LEGACY_FILES : []);
  }
  const text = await readFile(join(absolute, MANIFEST_FILE), { encoding: "utf8", flag: NO_FOLLOW });
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
