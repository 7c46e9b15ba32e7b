// The one check every path conda-bazel writes, deletes or reads for a diff goes through: a
// normalised relative path that stays inside a root directory, reached without a symbolic link
// that leads out of it. A committed link (`third_party/conda_bazel -> ~/.ssh`, `.bazelrc ->
// ~/.netrc`) would otherwise make init write, delete or print files the checkout does not own.
import { closeSync, constants, lstatSync, openSync, readFileSync, realpathSync, type Stats } from "node:fs";
import { isAbsolute, join, posix, relative, sep } from "node:path";
import { UsageError } from "../errors.js";

/** `path` as a `/`-separated relative path without `.`, `..` or empty segments: `a//b/`,
 * `./a/b` and `a/b` are one path. Refuses an absolute path, one that leaves its root, and
 * the root itself. */
export function normaliseRelative(path: string): string {
  const normal = posix.normalize(path.replace(/\\/g, "/")).replace(/\/+$/, "");
  if (isAbsolute(path) || posix.isAbsolute(normal)) {
    throw new UsageError(`'${path}' is an absolute path`, "give a path relative to the workspace root, inside it");
  }
  if (normal === ".." || normal.startsWith("../")) {
    throw new UsageError(`'${path}' leads out of the workspace`, "give a path inside the workspace root");
  }
  if (normal === "." || normal === "") {
    throw new UsageError(`'${path}' is the workspace root itself`, "give a directory or file below the workspace root");
  }
  return normal;
}

/** What is at a checked path: nothing yet, or what lstat says (never a symbolic link). */
export interface Resolved {
  readonly absolute: string;
  readonly stats: Stats | undefined;
}

/** `relative` (a normalised path, see normaliseRelative) inside `root`, checked one component at
 * a time with lstat: the last component must not be a symbolic link, and a link on the way must
 * resolve inside `root`. Components that do not exist yet are fine (they will be created as
 * directories). Any other answer is refused with a UsageError naming the path. The system calls
 * are synchronous, and realpath is the system's (one call, where Node's own lstats every
 * component): a no-change init checks a few hundred components, and the thread pool's round trips
 * cost more than the calls. */
export async function resolveInside(root: string, relativePath: string): Promise<Resolved> {
  const realRoot = realpathSync.native(root);
  const parts = relativePath.split("/");
  let current = realRoot;
  for (const [index, part] of parts.entries()) {
    const next = join(current, part);
    const shown = parts.slice(0, index + 1).join("/");
    const stats = lstatOrRefuse(next, shown);
    if (stats === undefined) return { absolute: join(next, ...parts.slice(index + 1)), stats: undefined };
    const last = index === parts.length - 1;
    if (stats.isSymbolicLink()) {
      if (last) throw new UsageError(`${shown} is a symbolic link; conda-bazel does not write, delete or read through links`, `replace ${shown} with a regular file or directory`);
      let target: string | undefined;
      try {
        target = realpathSync.native(next);
      } catch {
        target = undefined;
      }
      if (target === undefined || !inside(realRoot, target)) {
        throw new UsageError(`${shown} is a symbolic link that leads out of ${root}; conda-bazel writes only inside it`, `replace the link ${shown} with a directory`);
      }
      current = target;
      continue;
    }
    if (last) return { absolute: next, stats };
    if (!stats.isDirectory()) throw new UsageError(`${shown} is not a directory, so nothing can be written below it`, `move ${shown} away or choose another path`);
    current = next;
  }
  throw new Error("unreachable: a normalised path has at least one component");
}

/** The bytes of the file at a checked path, never read through a link put there since. */
export function readNoFollow(absolute: string): Buffer {
  const fd = openSync(absolute, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Whether `path` is `root` or below it (both real, absolute paths). */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function lstatOrRefuse(path: string, shown: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ENOTDIR") throw new UsageError(`a component of ${shown} is not a directory`, `move the file away or choose another path`);
    if (code === "ENAMETOOLONG") throw new UsageError(`${shown} is too long a name for this file system`, "choose a shorter path");
    throw new UsageError(`cannot inspect ${shown}: ${(error as Error).message}`, "check the permissions of its directories");
  }
}
