// Small JSON files in conda-bazel's cache directory. Reads treat anything unreadable as a miss;
// writes are atomic (temp file + rename) so concurrent runs never see half a file, and a cache
// that cannot be written only costs the next run the work again.
import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readRegularFile } from "./regular-file.js";

/** Far more than any entry; a FIFO or a huge file planted in the cache is a miss, not a hang. */
const MAX_ENTRY_BYTES = 1024 * 1024;

export function readCacheJson(dir: string, name: string, maxBytes = MAX_ENTRY_BYTES): unknown {
  try {
    return JSON.parse(readRegularFile(join(dir, name), maxBytes, "cache entry").toString("utf8"));
  } catch {
    return undefined;
  }
}

export function writeCacheJson(dir: string, name: string, value: unknown): void {
  const path = join(dir, name);
  // A fresh name, created exclusively: never written through a link someone put in the cache.
  const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, `${JSON.stringify(value)}\n`, { flag: "wx" });
    renameSync(temp, path);
  } catch {
    // See above: a miss next time, nothing worse.
  }
}
