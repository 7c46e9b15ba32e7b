// @ts-check
// Where the tests' caches of slow, machine-wide work live (the go-nocgo toolchain, Debian's arm64
// packages): kept between runs, since each is keyed by what it was made from. Plain JS without
// dependencies: ensure-deps.mjs fills them before npm ci.
import { homedir } from "node:os";
import { join } from "node:path";

/** $CONDA_BAZEL_TEST_CACHE, else conda-bazel-test under $XDG_CACHE_HOME or ~/.cache. */
export function testCacheRoot() {
  const env = process.env;
  return env.CONDA_BAZEL_TEST_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "conda-bazel-test");
}
