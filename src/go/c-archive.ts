// What a C program needs to link a Go package built with -buildmode=c-archive: the archive's file
// name, and the system libraries Go's runtime calls into, which an archive cannot record itself.
import type { Target } from "../targets.js";

/** The archive's file name for a library called `name`: `lib<name>.a`, as gcc and mingw name one. */
export function staticLibraryName(name: string): string {
  return `lib${name}.a`;
}

/** Linker flags a C program that links the archive needs: runtime/cgo's threads on Linux (what
 * `#cgo linux LDFLAGS: -lpthread` in runtime/cgo asks of the final link); elsewhere the C
 * library already holds them. */
export function archiveLinkopts(target: Target): string[] {
  return target.goos === "linux" ? ["-lpthread"] : [];
}
