#!/usr/bin/env node
// @ts-check
// Debian's arm64 builds of zlib and Python, downloaded (`apt-get download`) and unpacked
// (`dpkg -x`) into a cache directory named by the packages' versions: the real aarch64 libraries
// and interpreter that the conda-build tests' host prefix (stand-in-host-prefix.mjs) is made of.
// Nothing is installed into the system. ensure-deps.mjs runs this on CI (as root: adding the
// arm64 architecture to apt needs it); afterwards every run finds the cache.
//
//   node scripts/debian-arm64.mjs [CACHE_DIR]     prints the unpacked tree's path
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { testCacheRoot } from "../test/support/test-cache.mjs";

/** The packages, without their :arm64 qualifier: what python3.11 needs to run, and the headers. */
export const ARM64_PACKAGES = ["zlib1g", "zlib1g-dev", "libexpat1", "python3.11-minimal", "libpython3.11-minimal", "libpython3.11-stdlib", "libpython3.11", "libpython3.11-dev"];

const DONE = ".complete";

/** Beside the other test caches (test/support/test-cache.mjs). */
export function defaultCacheDir() {
  return join(testCacheRoot(), "debian-arm64");
}

/**
 * apt's binary cache of the package lists, kept in `cacheDir`. Docker-style images turn apt's own
 * off (`Dir::Cache::pkgcache ""`), and then every apt-cache run parses every list again: 1.8
 * CPU-seconds here, against 0.1 with the cache. apt checks the cache against the lists and dpkg's
 * status and rebuilds it when they changed, so it never changes an answer.
 * @param {string} cacheDir
 */
const aptCacheOptions = (cacheDir) => ["-o", `Dir::Cache::pkgcache=${join(cacheDir, "apt-pkgcache.bin")}`, "-o", "Dir::Cache::srcpkgcache="];

/**
 * apt's candidate version of each package for arm64 (absent when apt has none). One apt-cache
 * run for all.
 * @param {string} cacheDir
 * @returns {Record<string, string>}
 */
function candidates(cacheDir) {
  mkdirSync(cacheDir, { recursive: true });
  const out = execFileSync("apt-cache", [...aptCacheOptions(cacheDir), "policy", ...ARM64_PACKAGES.map((p) => `${p}:arm64`)], { encoding: "utf8" });
  /** @type {Record<string, string>} */
  const found = {};
  for (const section of out.split(/^(?=\S)/m)) {
    const name = /^(\S+):arm64:/.exec(section)?.[1];
    const version = /Candidate: (\S+)/.exec(section)?.[1];
    if (name && version && version !== "(none)") found[name] = version;
  }
  return found;
}

/**
 * apt must know the arm64 packages; only root can add the architecture.
 * @param {string} cacheDir
 */
function versionsFromApt(cacheDir) {
  let versions = candidates(cacheDir);
  if (Object.keys(versions).length > 0) return versions;
  if (process.getuid?.() !== 0) {
    throw new Error("apt has no arm64 packages: run as root 'dpkg --add-architecture arm64 && apt-get update' (node scripts/ensure-deps.mjs does)");
  }
  execFileSync("dpkg", ["--add-architecture", "arm64"], { stdio: "inherit" });
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"] });
  versions = candidates(cacheDir);
  if (Object.keys(versions).length === 0) throw new Error("apt-get update gave no arm64 packages");
  return versions;
}

/**
 * The unpacked tree (usr/, lib/...) of ARM64_PACKAGES at apt's candidate versions, downloaded
 * only when the cache lacks those versions.
 * @param {string} [cacheDir]
 * @returns {{ root: string, versions: Record<string, string> }}
 */
export function ensureArm64Packages(cacheDir = defaultCacheDir()) {
  const found = versionsFromApt(cacheDir);
  /** @type {Record<string, string>} */
  const versions = {};
  for (const pkg of ARM64_PACKAGES) {
    const version = found[pkg];
    if (!version) throw new Error(`apt has no arm64 candidate for ${pkg}`);
    versions[pkg] = version;
  }
  const key = createHash("sha256").update(JSON.stringify(versions)).digest("hex").slice(0, 16);
  const dir = join(cacheDir, key);
  if (existsSync(join(dir, DONE))) return { root: join(dir, "root"), versions };
  // Unpacked beside the final place and renamed into it whole: a run that dies leaves no half tree.
  const work = mkdtempSync(join(cacheDir, `${key}.partial-`));
  try {
    // Root's apt would hand the download to its _apt user, who cannot write into this directory.
    const sandbox = process.getuid?.() === 0 ? ["-o", "APT::Sandbox::User=root"] : [];
    execFileSync("apt-get", [...sandbox, ...aptCacheOptions(cacheDir), "download", "-qq", ...ARM64_PACKAGES.map((p) => `${p}:arm64=${versions[p]}`)], { cwd: work, stdio: ["ignore", "ignore", "inherit"] });
    const root = join(work, "root");
    mkdirSync(root);
    for (const deb of readdirSync(work).filter((f) => f.endsWith(".deb")).sort()) execFileSync("dpkg", ["-x", join(work, deb), root]);
    writeFileSync(join(work, DONE), `${JSON.stringify(versions, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { root: join(dir, "root"), versions };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(`${ensureArm64Packages(process.argv[2] ? resolve(process.argv[2]) : undefined).root}\n`);
  } catch (error) {
    process.stderr.write(`debian-arm64: ${/** @type {Error} */ (error).message}\n`);
    process.exit(1);
  }
}
