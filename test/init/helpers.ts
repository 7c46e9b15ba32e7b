// Workspaces for init tests, and a snapshot of one that proves what init did and did not touch.
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../cli/helpers.js";

export function workspace(files: Record<string, string | Buffer> = { WORKSPACE: "" }): string {
  const dir = tempDir("conda-bazel-ws-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Every entry under `dir` (never through a link): a file's bytes (latin1, so any byte shows) and
 * mtime, a link's target, a FIFO as such. */
export function tree(dir: string): Record<string, [string, number]> {
  const out: Record<string, [string, number]> = {};
  const visit = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = rel === "" ? name : `${rel}/${name}`;
      const stats = lstatSync(join(dir, path));
      if (stats.isDirectory()) visit(path);
      else if (stats.isSymbolicLink()) out[path] = [`link -> ${readlinkSync(join(dir, path))}`, 0];
      else if (stats.isFile()) out[path] = [readFileSync(join(dir, path), "latin1"), stats.mtimeMs];
      else out[path] = ["special file", stats.mtimeMs];
    }
  };
  visit("");
  return out;
}
