// @ts-check
// `npm run build` only when its outputs are not those of its current inputs: ensure-deps runs
// before `npm test` and `npm run demo`, and the demo test runs the demo inside `npm test`, so the
// build (tsc, targets.bzl, the bundle: ~9 s of CPU) would otherwise run twice per test run. A
// stamp, written after a successful build, holds a sha256 over the names and contents of every
// input of package.json's build script and of every output; any difference, or no readable
// stamp, means a build. The stamp is a hint that can only skip a build whose inputs and outputs
// are byte for byte those it was written for.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, constants, lstatSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** What package.json's build reads: tsc (src/, tsconfig.json, the installed type packages),
 * scripts/targets-bzl.mjs, scripts/bundle.mjs and the template precompiler and Starlark packer
 * it loads (with the src/ modules they run), the Starlark it packs, and the installed packages
 * esbuild bundles (the lock files say which). */
export const BUILD_INPUTS = [
  "src",
  "scripts/bundle.mjs",
  "scripts/load-source.mjs",
  "scripts/packed-starlark.mjs",
  "scripts/precompile-templates.mjs",
  "scripts/targets-bzl.mjs",
  "starlark",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "node_modules/.package-lock.json",
];
/** What it writes: tsc's lib/ (with lib/bundle/), and the target table's Starlark. */
export const BUILD_OUTPUTS = ["lib", "starlark/private/targets.bzl"];
/** Beside the checkout's files, ignored by git (.gitignore) and outside the package's files. */
export const STAMP = ".build-stamp";

/** A sha256 over the relative path, kind and contents of every file under `paths` (a missing
 * path counts too), in a fixed order. */
export function treeDigest(root, paths) {
  const hash = createHash("sha256");
  const visit = (rel) => {
    let stat;
    try {
      stat = lstatSync(join(root, rel));
    } catch {
      hash.update(`missing ${rel}\0`);
      return;
    }
    if (stat.isDirectory()) {
      hash.update(`dir ${rel}\0`);
      for (const name of readdirSync(join(root, rel)).sort()) visit(`${rel}/${name}`);
    } else if (stat.isFile()) {
      const data = readFileSync(join(root, rel));
      hash.update(`file ${rel} ${data.length}\0`);
      hash.update(data);
    } else {
      hash.update(`other ${rel}\0`);
    }
  };
  for (const path of paths) visit(path);
  return hash.digest("hex");
}

const digests = (root) => ({ inputs: treeDigest(root, BUILD_INPUTS), outputs: treeDigest(root, BUILD_OUTPUTS) });

/** Whether the stamp says the outputs are the build of the current inputs. */
export function buildUpToDate(root) {
  let stamp;
  try {
    // Never through a link: a checkout can commit one under the stamp's name.
    const fd = openSync(join(root, STAMP), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      stamp = JSON.parse(readFileSync(fd, "utf8"));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  const now = digests(root);
  return stamp?.inputs === now.inputs && stamp?.outputs === now.outputs;
}

/** Records the current inputs and outputs as one build's (written whole, by a rename). */
export function writeStamp(root, inputs = treeDigest(root, BUILD_INPUTS)) {
  const stamp = JSON.stringify({ inputs, outputs: treeDigest(root, BUILD_OUTPUTS) });
  // A fresh name, created exclusively: never written through a link a checkout put there. The
  // rename replaces whatever has the stamp's name, a link included, and follows none.
  const temp = join(root, `${STAMP}.${process.pid}.tmp`);
  rmSync(temp, { force: true });
  writeFileSync(temp, `${stamp}\n`, { flag: "wx" });
  renameSync(temp, join(root, STAMP));
}

/** Runs `npm run build` in `root` unless the stamp says it is up to date; returns which. */
export function ensureBuilt(root) {
  if (buildUpToDate(root)) return "up to date";
  rmSync(join(root, STAMP), { force: true });
  const inputs = treeDigest(root, BUILD_INPUTS);
  execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  // An input edited during the build may not be in its outputs: no stamp, so the next run builds.
  if (treeDigest(root, BUILD_INPUTS) === inputs) writeStamp(root, inputs);
  return "built";
}

// `node scripts/build-stamp.mjs`: ensure-deps runs the build in a process of its own, beside apt.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (ensureBuilt(join(dirname(fileURLToPath(import.meta.url)), "..")) === "up to date") {
      process.stderr.write("ensure-deps: the build is up to date (npm run build skipped)\n");
    }
  } catch (error) {
    // A failed `npm run build` has printed what failed; anything else (an unreadable input) says it here.
    if (/** @type {{ status?: number }} */ (error).status === undefined) process.stderr.write(`build-stamp: ${/** @type {Error} */ (error).message}\n`);
    process.exit(1);
  }
}
