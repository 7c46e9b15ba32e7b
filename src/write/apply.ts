// Applies a plan so that a failure leaves the workspace as it was: every new file is first
// staged as a temporary file beside its target, and only when all are staged are they renamed
// into place, each replaced file kept as a hard link until the end. A failed stage or rename
// undoes everything done so far; the error names the path, with exit 2.
// Synchronous: a few small files, and a no-change init then loads no fs/promises.
import { chmodSync, closeSync, constants, copyFileSync, linkSync, mkdirSync, openSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
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
export function applyChanges(root: string, changes: readonly Change[]): void {
  const todo = changes.filter((c) => c.action !== "unchanged");
  sweepTempFiles(changes.map((c) => dirname(c.absolute)));
  const created: string[] = [];
  const staged: Staged[] = [];
  const committed: Committed[] = [];
  let current: Change | undefined;
  try {
    for (const change of todo) {
      current = change;
      staged.push(change.action === "delete" ? { change } : { change, temp: stage(change, created) });
    }
    for (const { change, temp } of staged) {
      current = change;
      const backup = change.before === null ? undefined : keep(change.absolute);
      committed.push(backup === undefined ? { change } : { change, backup });
      if (temp === undefined) rmSync(change.absolute);
      else renameSync(temp, change.absolute);
    }
  } catch (error) {
    undo(committed, staged, created);
    const path = current ? relative(root, current.absolute) : root;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const verb = current?.action === "delete" ? "delete" : "write";
    throw new UsageError(`cannot ${verb} ${path} (${reason}); nothing was changed`, `make ${dirname(path) === "." ? "the workspace root" : dirname(path)} writable and run init again`);
  }
  for (const { backup } of committed) if (backup !== undefined) rmSync(backup, { force: true });
  // A directory a deletion emptied (a switched-off feature's package) goes too; one that still
  // holds anything, the user's files included, stays.
  const emptied = new Set(todo.filter((c) => c.action === "delete").map((c) => dirname(c.absolute)));
  for (const dir of [...emptied].sort((a, b) => b.length - a.length)) removeIfEmpty(dir);
}

function stage(change: Change, created: string[]): string {
  const dir = dirname(change.absolute);
  const first = mkdirSync(dir, { recursive: true });
  if (first !== undefined) {
    // Every directory from the first one created down to `dir`, to remove on failure.
    for (let d = dir; ; d = dirname(d)) {
      created.push(d);
      if (d === first) break;
    }
  }
  const temp = tempName(dir);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  try {
    try {
      writeFileSync(fd, change.after);
    } finally {
      closeSync(fd);
    }
    if (change.mode !== undefined) chmodSync(temp, change.mode);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return temp;
}

/** A second name for the file at `path`, to put back if a later change fails. */
function keep(path: string): string {
  const backup = tempName(dirname(path));
  try {
    linkSync(path, backup);
  } catch {
    // A file system without hard links.
    copyFileSync(path, backup, constants.COPYFILE_EXCL);
  }
  return backup;
}

function undo(committed: readonly Committed[], staged: readonly Staged[], created: readonly string[]): void {
  for (const { change, backup } of [...committed].reverse()) {
    try {
      if (backup !== undefined) renameSync(backup, change.absolute);
      else rmSync(change.absolute, { force: true });
    } catch {
      // Put back what can be; the error the caller reports names the path.
    }
  }
  for (const { temp } of staged) if (temp !== undefined) rmSync(temp, { force: true });
  // Deepest first; a directory that is not empty was not only ours and stays.
  for (const dir of [...created].sort((a, b) => b.length - a.length)) removeIfEmpty(dir);
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty, or gone.
  }
}
