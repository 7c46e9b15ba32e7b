// `conda-bazel check`: built files against the target they are for. One line per finding, each
// naming the file and the fix; exit 1 when there is any, 2 when a file is no binary.
import { resolve } from "node:path";
import type { BinaryImage } from "../check/binary-header.js";
import type { CommandArgs } from "../cli.js";
import { pathRoots } from "../check/build-paths.js";
import { readImages } from "../check/check-file.js";
import { checkImages, describeImage, type Finding } from "../check/findings.js";
import { sysrootGlibc } from "../check/sysroot-glibc.js";
import { resolvePrefix } from "../conda/prefix.js";
import { escapeControl, EXIT, UsageError } from "../errors.js";
import { findTarget, type Target } from "../targets.js";
import { writeOut } from "../output.js";

const GLIBC_FLAG = /^\d+\.\d+(\.\d+)?$/;

/** --target, else conda-build's `target_platform`. */
function chosenTarget(flag: string | undefined, env: NodeJS.ProcessEnv): Target {
  const name = flag ?? (env.target_platform || undefined);
  if (name === undefined) throw new UsageError("no target to check against", "pass --target T; conda-bazel targets lists them");
  const target = findTarget(name);
  if (!target) throw new UsageError(`unknown target '${name}'`, "run 'conda-bazel targets' for the list");
  return target;
}

export async function run(args: CommandArgs): Promise<number> {
  const env = process.env;
  const target = chosenTarget(args.values.target as string | undefined, env);
  if (args.positionals.length === 0) throw new UsageError("no files to check", "name the built files: conda-bazel check --target T PATH...");
  const glibcFlag = args.values.glibc as string | undefined;
  if (glibcFlag !== undefined && !GLIBC_FLAG.test(glibcFlag)) throw new UsageError(`--glibc must be a version like 2.17, not '${glibcFlag}'`, "pass the sysroot's c_stdlib_version");
  const prefixFlag = args.values.prefix as string | undefined;
  const prefix = prefixFlag === undefined ? undefined : resolvePrefix(prefixFlag, undefined, env);
  const glibc = target.binary.format !== "elf" ? null : (glibcFlag ?? sysrootGlibc(target, prefix ? [prefix] : [env.BUILD_PREFIX, env.CONDA_PREFIX]));
  const roots = pathRoots(env, process.cwd(), prefix);

  const files = args.positionals.map((path) => ({ path, images: readImages(resolve(path)) }));
  const results = files.map(({ path, images }) => ({ path, images, findings: checkImages(images, { target, glibc, roots }) }));
  const count = results.reduce((n, r) => n + r.findings.length, 0);

  if (args.values.json) {
    writeOut(`${JSON.stringify({ target: target.triplet, glibc, files: results.map(jsonResult) }, null, 2)}\n`);
  } else {
    for (const { path, findings } of results) writeOut(findings.map((f) => `${escapeControl(path)}: ${f.problem} (fix: ${f.fix})\n`).join(""));
    const glibcNote = target.binary.format !== "elf" ? "" : glibc ? `, glibc <= ${glibc}` : ", glibc not checked (pass --glibc X.Y or --prefix of the env holding the sysroot)";
    const files = `${results.length} file${results.length === 1 ? "" : "s"}`;
    writeOut(count === 0 ? `${files} checked for ${target.triplet}${glibcNote}: no findings\n` : `${count} finding${count === 1 ? "" : "s"} in ${files} checked for ${target.triplet}${glibcNote}\n`);
  }
  return count === 0 ? EXIT.ok : EXIT.failed;
}

function jsonResult({ path, images, findings }: { path: string; images: readonly BinaryImage[]; findings: readonly Finding[] }) {
  return {
    path,
    images: images.map((image) => ({
      format: image.format,
      code: describeImage(image),
      glibc: image.glibc?.version ?? null,
      runPaths: image.runPaths,
      stack: image.stack,
    })),
    findings,
  };
}
