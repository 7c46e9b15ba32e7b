// The temporary files the writer stages next to their targets. A run killed between staging
// and renaming (SIGKILL, a power cut) leaves them behind; the next run, holding the workspace
// lock, knows that no other run is using them and removes them.
import { randomBytes } from "node:crypto";
import { lstatSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const PATTERN = /^\.[0-9a-f]{12}\.conda-bazel\.tmp$/;

export function tempName(dir: string): string {
  return join(dir, `.${randomBytes(6).toString("hex")}.conda-bazel.tmp`);
}

export function isTempName(name: string): boolean {
  return PATTERN.test(name);
}

/** Removes leftover temporary files (regular files only: a link of that name is not ours) from
 * `dirs`. Synchronous: every init lists a dozen directories, and almost always finds none. */
export function sweepTempFiles(dirs: Iterable<string>): void {
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    for (const name of names.filter(isTempName)) {
      const path = join(dir, name);
      let isFile: boolean;
      try {
        isFile = lstatSync(path).isFile();
      } catch {
        continue;
      }
      if (isFile) rmSync(path, { force: true });
    }
  }
}
