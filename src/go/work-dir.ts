// Where `go build` keeps its work directory (GOTMPDIR). Go names it go-build<random>, and with
// -trimpath a work directory inside the module is rewritten like the module's own sources, so
// the random name lands in the library: with TMPDIR=<package>/tmp, Go 1.19 wrote
// "example.com/golib/tmp/go-build2472989939/b001/_cgo_gotypes.go" into libgolib.so. The work
// directory is therefore never inside the module, whatever TMPDIR says.
import { existsSync, mkdirSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { UsageError } from "../errors.js";

/** The directory of the go.mod governing `packageDir` (the package itself in GOPATH mode). */
function moduleRoot(packageDir: string): string {
  for (let dir = packageDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "go.mod"))) return dir;
    if (dirname(dir) === dir) return packageDir;
  }
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);
}

/** The system temp directory when it lies outside the module, else `fallback` (created; it is
 * conda-bazel's own cache). Both inside the module: refused, the bytes would not be stable. */
export function goWorkDir(packageDir: string, fallback: string): string {
  const root = realpathSync(moduleRoot(packageDir));
  const system = resolve(tmpdir());
  const candidates = [system, fallback];
  for (const candidate of candidates) {
    try {
      if (candidate === fallback) mkdirSync(candidate, { recursive: true });
      if (!within(realpathSync(candidate), root)) return candidate;
    } catch {
      // Not usable; try the next.
    }
  }
  throw new UsageError(`the temporary directory ${system} and conda-bazel's cache ${fallback} both lie inside the Go module at ${root}; Go would write its random work path into the library`, "set TMPDIR to a directory outside the module");
}
