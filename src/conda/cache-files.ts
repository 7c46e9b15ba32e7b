// Files in conda-bazel's cache directory, small JSON documents most of them. Reads treat anything
// unreadable as a miss;
// writes are atomic (temp file + rename) so concurrent runs never see half a file, and a cache
// that cannot be written only costs the next run the work again.
import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readRegularFile } from "./regular-file.js";

/** Far more than any entry; a FIFO or a huge file planted in the cache is a miss, not a hang. */
const MAX_ENTRY_BYTES = 1024 * 1024;

export function readCacheJson(dir: string, name: string, maxBytes = MAX_ENTRY_BYTES): unknown {
  const bytes = readCacheFile(dir, name, maxBytes);
  try {
    return bytes && JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
}

export function writeCacheJson(dir: string, name: string, value: unknown): void {
  writeCacheFile(dir, name, `${JSON.stringify(value)}\n`);
}

/** The entry's bytes; undefined when it is missing, unreadable, not a regular file or larger than `maxBytes`. */
export function readCacheFile(dir: string, name: string, maxBytes: number): Buffer | undefined {
  try {
    return readRegularFile(join(dir, name), maxBytes, "cache entry");
  } catch {
    return undefined;
  }
}

export function writeCacheFile(dir: string, name: string, data: string | Uint8Array): void {
  const path = join(dir, name);
  // A fresh name, created exclusively: never written through a link someone put in the cache.
  const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, data, { flag: "wx" });
    renameSync(temp, path);
  } catch {
    // See above: a miss next time, nothing worse.
  }
}
