// The bytes `conda-bazel check` parses: read piece by piece at the offsets the headers name, so a
// large library is never read whole and a corrupt offset cannot ask for gigabytes.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { notRegularFile } from "../conda/regular-file.js";
import { UsageError } from "../errors.js";

/** A header points outside the file, or a table is larger than any real one. */
export class MalformedBinary extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedBinary";
  }
}

/** No single read of a header, table or string is larger than this. */
export const MAX_READ = 16 * 1024 * 1024;

export interface ByteSource {
  readonly size: number;
  /** `length` bytes at `offset`; MalformedBinary (naming `what`) when they are not all in the file. */
  read(offset: number, length: number, what: string): Buffer;
}

export function bufferSource(bytes: Buffer): ByteSource {
  return {
    size: bytes.length,
    read(offset, length, what) {
      checkRange(offset, length, bytes.length, what);
      return bytes.subarray(offset, offset + length);
    },
  };
}

function checkRange(offset: number, length: number, size: number, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new MalformedBinary(`its ${what} lies past the end of the file`);
  }
  if (length > MAX_READ) throw new MalformedBinary(`its ${what} is larger than ${MAX_READ} bytes`);
}

/**
 * Runs `use` on the file at `path` (a link the user named is followed): a UsageError when it is
 * no regular file, so a FIFO or a device is refused rather than read.
 */
export function withFileSource<T>(path: string, use: (source: ByteSource) => T): T {
  // O_NONBLOCK: opening a FIFO would otherwise wait for a writer; it does nothing to a regular file.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UsageError(`${path} is ${notRegularFile(stats)}`, "name the built binaries themselves");
    const size = stats.size;
    return use({
      size,
      read(offset, length, what) {
        checkRange(offset, length, size, what);
        const buffer = Buffer.alloc(length);
        let done = 0;
        while (done < length) {
          const n = readSync(fd, buffer, done, length - done, offset + done);
          if (n === 0) throw new MalformedBinary(`it was cut short while being read (its ${what})`);
          done += n;
        }
        return buffer;
      },
    });
  } finally {
    closeSync(fd);
  }
}
