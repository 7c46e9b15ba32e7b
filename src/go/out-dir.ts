// The output directory go-build owns. It is reached without a symlink on the way (a committed
// `dist -> ~/.ssh` must not make go-build write there), everything lands in it by rename from a
// staging directory inside it (same filesystem, so a file is replaced, never written through a
// link at its place), and staging that a killed run left behind is swept by the next run.
import { lstatSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import { UsageError } from "../errors.js";
import { processAlive } from "../process-alive.js";

/** `.<label>.tmp-<pid>-<random>`: the pid says whether the run that made it still lives. */
const STAGING = /^\.[A-Za-z0-9_.+-]+\.tmp-(\d+)-[A-Za-z0-9]{6}$/;

/** A fresh staging directory in `outDir` for one target's build (or the manifest). */
export function makeStaging(outDir: string, label: string): Promise<string> {
  return mkdtemp(join(outDir, `.${label}.tmp-${process.pid}-`));
}

/** Removes staging directories whose run is gone (killed with SIGKILL, or the machine stopped).
 * Only real directories with go-build's names; a concurrent run's staging stays. */
export async function sweepStaging(outDir: string): Promise<void> {
  const entries = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  await Promise.all(
    entries.map(async (entry) => {
      const pid = STAGING.exec(entry.name)?.[1];
      if (pid === undefined || !entry.isDirectory() || Number(pid) === process.pid || processAlive(Number(pid))) return;
      await rm(join(outDir, entry.name), { recursive: true, force: true });
    }),
  );
}

/** What is at `path` without following a link there: "missing", "directory", "link" or "other". */
function entryKind(path: string): "missing" | "directory" | "link" | "other" {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  if (!stats) return "missing";
  return stats.isSymbolicLink() ? "link" : stats.isDirectory() ? "directory" : "other";
}

function refuse(path: string, kind: "link" | "other", what: string): never {
  if (kind === "link") throw new UsageError(`${what} ${path} is a symbolic link; go-build writes only into real directories`, "remove the link, or pass --out with the directory it points to");
  throw new UsageError(`${what} ${path} exists and is not a directory`, "pass --out with a directory (or a path that does not exist yet)");
}

/**
 * Refuses an output directory that is, or is reached through, a symlink or a file. Inside the
 * working directory every step from it down is checked (a checkout can commit links there);
 * outside it only the directory itself, whose parents the user named. `fromConfig`: a committed
 * conda-bazel.yaml may not send output outside the working directory at all.
 */
export function checkOutDir(outDir: string, cwd: string, fromConfig: boolean): void {
  const inside = relative(cwd, outDir);
  const outside = inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside);
  if (outside && fromConfig) {
    throw new UsageError(`goBuild.out in the config file leads outside the working directory: ${outDir}`, "use a directory inside the workspace, or pass --out on the command line");
  }
  const steps = outside || inside === "" ? [] : inside.split(sep);
  let path = outside ? outDir : cwd;
  for (const step of steps) {
    path = join(path, step);
    const kind = entryKind(path);
    if (kind === "missing") return;
    if (kind !== "directory") refuse(path, kind, path === outDir ? "the output directory" : "a directory on the way to --out,");
  }
  if (outside) {
    const kind = entryKind(outDir);
    if (kind === "link" || kind === "other") refuse(outDir, kind, "the output directory");
  }
}

/** Refuses, before any build starts, a per-target directory that is a link or a file, and a
 * directory where go-build puts a file. `files`: `<target>/<file>` or `manifest.json`. */
export function checkOutputPaths(outDir: string, files: readonly string[]): void {
  for (const file of files) {
    const parts = file.split("/");
    let path = outDir;
    for (const dir of parts.slice(0, -1)) {
      path = join(path, dir);
      const kind = entryKind(path);
      if (kind === "missing") break;
      if (kind !== "directory") refuse(path, kind, "the target directory");
    }
    const target = join(outDir, ...parts);
    if (entryKind(target) === "directory") throw new UsageError(`${target} is a directory where go-build puts a file`, "remove or rename it");
  }
}
