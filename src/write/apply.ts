// Applies a plan so that a failure leaves the workspace as it was: every new file is first
// staged as a temporary file beside its target, and only when all are staged are they renamed
// into place, each replaced file kept as a hard link until the end. A failed stage or rename
// undoes everything done so far; the error names the path, with exit 2.
import { constants } from "node:fs";
import { chmod, copyFile, link, mkdir, open, rename, rm, rmdir } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { UsageError } from "../errors.js";
import type { Change } from "./plan.js";
import { sweepTempFiles, tempName } from "./temp-files.js";

interface Staged {
  readonly change: Change;
  /** The new bytes, staged beside the target; unset for a deletion. */
  readonly temp?: string;
}

interface Committed {
  readonly change: Change;
  /** The replaced or deleted file, kept until every change is in place. */
  readonly backup?: string;
}

/** Writes every changed file and deletes the stale ones; unchanged files are not touched. */
export async function applyChanges(root: string, changes: readonly Change[]): Promise<void> {
  const todo = changes.filter((c) => c.action !== "unchanged");
  await sweepTempFiles(changes.map((c) => dirname(c.absolute)));
  const created: string[] = [];
  const staged: Staged[] = [];
  const committed: Committed[] = [];
  let current: Change | undefined;
  try {
    for (const change of todo) {
      current = change;
      staged.push(change.action === "delete" ? { change } : { change, temp: await stage(change, created) });
    }
    for (const { change, temp } of staged) {
      current = change;
      const backup = change.before === null ? undefined : await keep(change.absolute);
      committed.push(backup === undefined ? { change } : { change, backup });
      if (temp === undefined) await rm(change.absolute);
      else await rename(temp, change.absolute);
    }
  } catch (error) {
    await undo(committed, staged, created);
    const path = current ? relative(root, current.absolute) : root;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const verb = current?.action === "delete" ? "delete" : "write";
    throw new UsageError(`cannot ${verb} ${path} (${reason}); nothing was changed`, `make ${dirname(path) === "." ? "the workspace root" : dirname(path)} writable and run init again`);
  }
  await Promise.all(committed.map(({ backup }) => (backup === undefined ? undefined : rm(backup, { force: true }))));
  // A directory a deletion emptied (a switched-off feature's package) goes too; one that still
  // holds anything, the user's files included, stays.
  const emptied = new Set(todo.filter((c) => c.action === "delete").map((c) => dirname(c.absolute)));
  for (const dir of [...emptied].sort((a, b) => b.length - a.length)) await rmdir(dir).catch(() => undefined);
}

async function stage(change: Change, created: string[]): Promise<string> {
  const dir = dirname(change.absolute);
  const first = await mkdir(dir, { recursive: true });
  if (first !== undefined) {
    // Every directory from the first one created down to `dir`, to remove on failure.
    for (let d = dir; ; d = dirname(d)) {
      created.push(d);
      if (d === first) break;
    }
  }
  const temp = tempName(dir);
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  try {
    await handle.writeFile(change.after);
    await handle.close();
    if (change.mode !== undefined) await chmod(temp, change.mode);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  return temp;
}

/** A second name for the file at `path`, to put back if a later change fails. */
async function keep(path: string): Promise<string> {
  const backup = tempName(dirname(path));
  try {
    await link(path, backup);
  } catch {
    // A file system without hard links.
    await copyFile(path, backup, constants.COPYFILE_EXCL);
  }
  return backup;
}

async function undo(committed: readonly Committed[], staged: readonly Staged[], created: readonly string[]): Promise<void> {
  for (const { change, backup } of [...committed].reverse()) {
    if (backup !== undefined) await rename(backup, change.absolute).catch(() => undefined);
    else await rm(change.absolute, { force: true }).catch(() => undefined);
  }
  await Promise.all(staged.map(({ temp }) => (temp === undefined ? undefined : rm(temp, { force: true }))));
  // Deepest first; a directory that is not empty was not only ours and stays.
  for (const dir of [...created].sort((a, b) => b.length - a.length)) await rmdir(dir).catch(() => undefined);
}
