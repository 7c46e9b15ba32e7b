// Where conda-bazel keeps its caches; its own module because the bundle's loader
// (code-cache.ts) needs it before anything else is loaded.
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

/** Always absolute: Go refuses a relative GOPATH, and a cache path must not change meaning when a
 * child runs elsewhere. A relative CONDA_BAZEL_CACHE_DIR is taken from the working directory, as
 * every relative path the user gives; a relative XDG_CACHE_HOME is ignored, as the XDG Base
 * Directory spec says. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CONDA_BAZEL_CACHE_DIR) return resolve(env.CONDA_BAZEL_CACHE_DIR);
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, "conda-bazel");
  return join(homedir(), ".cache", "conda-bazel");
}
