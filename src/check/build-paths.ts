// Which RPATH/RUNPATH entries name a build path. The rule:
// - `$ORIGIN`/`${ORIGIN}` (ELF) and `@loader_path`/`@executable_path` (Mach-O) entries are
//   relative to the file and fine;
// - an empty or a relative entry is resolved against the working directory of whoever runs the
//   program: a finding;
// - an absolute entry is judged by the longest root that holds it: the install prefixes (PREFIX
//   in a conda-build, whose placeholder path conda rewrites at install time; --prefix and
//   CONDA_PREFIX outside one) are fine; BUILD_PREFIX, SRC_DIR (the work dir), the working
//   directory and the temp dirs are build paths. When two roots are the same directory (conda-build
//   sets CONDA_PREFIX to BUILD_PREFIX), the build path wins. Any other absolute path (/usr/lib,
//   /opt/...) is not a build path and passes.
import { realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { posix } from "node:path";

export interface PathRoot {
  readonly path: string;
  /** How the finding names it: "BUILD_PREFIX", "the temp dir"... */
  readonly name: string;
  readonly buildPath: boolean;
}

const RELATIVE_TO_FILE = /^(\$ORIGIN|\$\{ORIGIN\}|@loader_path|@executable_path)(\/|$)/;

/** The roots of a check run from `env` (the caller's environment) in `cwd`; `installPrefix` is
 * --prefix. `extraBuildPaths` are more build paths, e.g. go-build's work and cache dirs. */
export function pathRoots(env: NodeJS.ProcessEnv, cwd: string, installPrefix?: string, extraBuildPaths: readonly PathRoot[] = []): PathRoot[] {
  const roots: PathRoot[] = [];
  const add = (path: string | undefined, name: string, buildPath: boolean) => {
    if (!path || !posix.isAbsolute(path)) return;
    roots.push({ path: posix.normalize(path), name, buildPath });
    // Also the real location, so a link to the build dir (macOS's /tmp, a bind) is caught too.
    try {
      const real = realpathSync(path);
      if (real !== posix.normalize(path)) roots.push({ path: real, name, buildPath });
    } catch {
      // A root that does not exist here only matters by its name.
    }
  };
  add(installPrefix, "the install prefix", false);
  add(env.PREFIX, "PREFIX", false);
  add(env.CONDA_PREFIX, "CONDA_PREFIX", false);
  add(env.BUILD_PREFIX, "BUILD_PREFIX", true);
  add(env.SRC_DIR, "the work dir SRC_DIR", true);
  // The file system root holds every path: as the working directory it says nothing.
  if (cwd !== "/") add(cwd, "the working directory", true);
  for (const temp of new Set([env.TMPDIR, tmpdir(), "/tmp", "/var/tmp", "/dev/shm"])) add(temp, "the temp dir", true);
  for (const root of extraBuildPaths) add(root.path, root.name, true);
  return roots;
}

function holds(root: string, path: string): boolean {
  return root === "/" || path === root || path.startsWith(`${root}/`);
}

/** Why `entry` names a build path, or null when it does not. */
export function buildPathProblem(entry: string, roots: readonly PathRoot[]): string | null {
  if (RELATIVE_TO_FILE.test(entry)) return null;
  if (entry === "") return "is empty, which the loader reads as the working directory of whoever runs it";
  if (!entry.startsWith("/")) return entry.startsWith("$") || entry.startsWith("@") ? null : "is relative, resolved against the working directory of whoever runs it";
  const path = posix.normalize(entry);
  let best: PathRoot | undefined;
  for (const root of roots) {
    if (!holds(root.path, path)) continue;
    // The same directory twice: a build path beats an install prefix; else the first name stays.
    if (!best || root.path.length > best.path.length || (root.path.length === best.path.length && root.buildPath && !best.buildPath)) best = root;
  }
  return best?.buildPath ? `is in ${best.name} ${best.path}, a build path that does not exist where the package is installed` : null;
}
