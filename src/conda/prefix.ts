// Which conda prefix a command works on: --prefix, then the config file, then $CONDA_PREFIX.
import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";

/** `option`: the flag (or variable) that named the prefix, for the hints. */
export function resolvePrefix(flag: string | undefined, configured: string | undefined, env: NodeJS.ProcessEnv = process.env, option = "--prefix"): string {
  const given = flag ?? configured ?? (env.CONDA_PREFIX || undefined);
  if (given === undefined) {
    throw new UsageError("no conda prefix: pass --prefix DIR or activate an environment (CONDA_PREFIX is unset)");
  }
  const prefix = resolve(given);
  if (!isDirectory(prefix)) {
    throw new UsageError(`conda prefix ${prefix} is not a directory`, `pass ${option} with the path of an existing conda environment`);
  }
  if (!isDirectory(join(prefix, "conda-meta"))) {
    throw new UsageError(
      `${prefix} is not a conda prefix (it has no conda-meta directory)`,
      `pass ${option} with the root of a conda environment, e.g. the value of $CONDA_PREFIX after 'conda activate'`,
    );
  }
  return prefix;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a component of the path is a file, so it is no directory either.
    if (code === "ENOENT" || code === "ENOTDIR") return false;
    if (code === "ENAMETOOLONG") throw new UsageError(`conda prefix ${path} is too long a path for this file system`, "pass --prefix with the path of an existing conda environment");
    throw error;
  }
}
