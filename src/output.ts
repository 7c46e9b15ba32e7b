// What the commands print, written to the file descriptors without process.stdout and
// process.stderr: creating those streams (a pipe's is a net.Socket, with the stream modules it
// loads) costs a no-change `init` more than its own output does (bench/init.mjs). The writes are
// synchronous, as Node's own are to files and, on Linux, to pipes.
import { writeSync } from "node:fs";

/** Descriptors whose reader went away: the rest of their output is dropped. */
const closed = new Set<number>();

export function writeOut(text: string): void {
  writeAll(1, text);
}

export function writeErr(text: string): void {
  writeAll(2, text);
}

function writeAll(fd: number, text: string): void {
  if (closed.has(fd) || text === "") return;
  const bytes = Buffer.from(text, "utf8");
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A non-blocking pipe (its other end set it so) that is full: wait for the reader.
      if (code === "EAGAIN") {
        Atomics.wait(PAUSE, 0, 0, 2);
        continue;
      }
      // A reader that stops early (`conda-bazel describe | head -1`) closes the pipe: the rest
      // is dropped quietly and the command still ends with its own exit code.
      if (code === "EPIPE") {
        closed.add(fd);
        return;
      }
      throw error;
    }
  }
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));
