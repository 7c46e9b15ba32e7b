// One init at a time per workspace: two runs with different prefixes would otherwise interleave
// their writes and leave files from both. The lock is a file holding the owner's pid and host;
// a lock whose owner is gone (killed, crashed) is taken over.
import { closeSync, constants, lstatSync, openSync, rmSync, unlinkSync, writeSync, type Stats } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { readNoFollow } from "../fs/safe-path.js";
import { processAlive } from "../process-alive.js";

const LOCK_FILE = ".conda-bazel.lock";
const WAIT_MS = 10 * 60 * 1000;
const POLL_MS = 50;
/** A lock file still empty after this long was left by a run killed right after creating it. */
const EMPTY_GRACE_MS = 2000;

/** Takes the workspace lock, waiting while another live run holds it; returns its release. */
export async function lockWorkspace(root: string): Promise<() => Promise<void>> {
  const path = join(root, LOCK_FILE);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (tryCreate(path)) {
      // process.exit (a closed stdout, for one) skips finally blocks; this still removes the lock.
      const onExit = () => {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      };
      process.on("exit", onExit);
      return async () => {
        process.off("exit", onExit);
        rmSync(path, { force: true });
      };
    }
    const holder = readHolder(path);
    if (holder !== undefined && isStale(holder)) {
      // Only the stale content is removed: a run that took the lock meanwhile keeps it.
      if (readHolder(path)?.text === holder.text) rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new UsageError(`another conda-bazel init (${holder?.text.trim() || "unknown"}) has held ${path} for ${WAIT_MS / 60000} minutes`, `if no init is running there, remove ${path}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The lock's system calls are synchronous: every init takes it, almost always uncontended, and
 * thread-pool round trips (and loading fs/promises) cost more than the calls. */
function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      writeSync(fd, `pid ${process.pid} on ${hostname()}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new UsageError(`cannot create the lock file ${path}: ${(error as Error).message}`, "make the workspace root writable");
  }
}

interface Holder {
  readonly text: string;
  readonly age: number;
}

function readHolder(path: string): Holder | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!stats.isFile()) throw new UsageError(`${path} is not conda-bazel's lock file (it is not a regular file)`, `remove ${path}`);
  let text: string;
  try {
    text = readNoFollow(path).toString("utf8");
  } catch {
    return undefined;
  }
  return { text, age: Date.now() - stats.mtimeMs };
}

function isStale(holder: Holder): boolean {
  const match = /^pid (\d+) on (.*)\n$/.exec(holder.text);
  if (!match) return holder.age > EMPTY_GRACE_MS;
  // A run on another host (a shared file system) cannot be checked: wait for it.
  if (match[2] !== hostname()) return false;
  return !processAlive(Number(match[1]));
}
