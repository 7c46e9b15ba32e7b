// Reading a file of a conda prefix that a careless or hostile packaging may have made something
// else: a FIFO would block the read forever (and with it describe and the Bazel fetch), a link to
// /dev/zero or a huge file would fill memory. Only regular files are read, and only up to a bound.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { UsageError } from "../errors.js";

function kind(stats: import("node:fs").Stats): string {
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  if (stats.isDirectory()) return "a directory";
  return "not a regular file";
}

/** What a non-regular file is, for a message: "a FIFO, not a regular file"... */
export function notRegularFile(stats: import("node:fs").Stats): string {
  const is = kind(stats);
  return is === "not a regular file" ? is : `${is}, not a regular file`;
}

/**
 * The bytes of `path` (links followed), refused with a UsageError naming `what` and the path
 * when it is not a regular file or holds more than `maxBytes`. Errors of the open itself (ENOENT,
 * EACCES) are thrown as they are, for the caller to decide what a missing file means.
 */
export function readRegularFile(path: string, maxBytes: number, what: string): Buffer {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; it does nothing
  // to a regular file.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new UsageError(`${what} ${path} is ${notRegularFile(stats)}`, "replace it with the regular file it should be, or remove it");
    }
    // Read to the end rather than to the size stat gave: the file may grow meanwhile. The buffer
    // starts at the stat size (a bound of hundreds of megabytes must not cost every read that
    // much zeroed memory) and grows up to the bound.
    let buffer = Buffer.alloc(Math.min(maxBytes + 1, stats.size + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (buffer.length > maxBytes) break;
        const grown = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw new UsageError(`${what} ${path} is larger than ${maxBytes} bytes`, "replace it with the file it should be, or remove it");
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
