// Caches that the test files of one `npm test` run share, so that the Go standard library is
// compiled once per target for the run rather than once per file: Go's build cache (inside a
// conda-bazel cache directory) and a Bazel disk cache. Both are content-addressed and safe for
// concurrent use, so sharing them can make a test faster but never change what it sees. Files
// that assert what a cache holds, or what a build runs rather than takes from a cache, keep their
// own, or write to the shared one without reading it (remote-cache's CI leg, with
// --noremote_accept_cached). scripts/test.mjs names the directory; a file run alone gets one of
// its own. vitest.config.ts orders the files that fill these caches before those that read them.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../cli/helpers.js";

let root: string | undefined;

// Without the run's directory, a temp dir of the file's own: a worker runs many files, and each
// file's temp dirs are removed when it ends.
function sharedRoot(): string {
  if (root === undefined || !existsSync(root)) root = process.env.CONDA_BAZEL_TEST_SHARED_CACHES ?? tempDir("conda-bazel-shared-");
  return root;
}

function shared(name: string): string {
  const dir = join(sharedRoot(), name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A CONDA_BAZEL_CACHE_DIR shared by the run: probe records and go-build's Go build cache. */
export const sharedCacheDir = (): string => shared("conda-bazel-cache");

/** A Bazel --disk_cache shared by the run. */
export const sharedDiskCache = (): string => shared("bazel-disk-cache");
