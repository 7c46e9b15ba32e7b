#!/usr/bin/env node
// Installs what the tests, the demo and the benchmarks need on a fresh Debian 12 machine:
// npm packages when node_modules is missing or stale, the Debian packages of the real tools (Go,
// cross gcc, qemu, Bazel 4.2.3, nginx) when a tool is missing, Debian's arm64 zlib and Python for
// the conda-build tests, and the build. With --tests (npm test), also the go-nocgo toolchain the
// tests build from Debian's Go sources. Safe to run repeatedly.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, rmSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { nocgoCachePath, nocgoGoroot } from "../test/support/go-nocgo.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// What each real-tool check needs: a file that proves it is installed, and its Debian package.
const DEBIAN_NEEDS = [
  ["/usr/bin/go", "golang-go"],
  ["/usr/bin/aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu"],
  ["/usr/bin/aarch64-linux-gnu-g++", "g++-aarch64-linux-gnu"],
  ["/usr/bin/powerpc64le-linux-gnu-gcc", "gcc-powerpc64le-linux-gnu"],
  ["/usr/bin/powerpc64le-linux-gnu-g++", "g++-powerpc64le-linux-gnu"],
  // mingw's win32 thread model only, Debian's default where both are installed: the packages
  // without the suffix pull in the posix one as well, 56 of the 567 MB that apt fetches.
  ["/usr/bin/x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64-win32"],
  ["/usr/bin/x86_64-w64-mingw32-g++", "g++-mingw-w64-x86-64-win32"],
  // Only recommended by the cross gcc packages, which this script installs without recommends.
  ["/usr/aarch64-linux-gnu/include/stdio.h", "libc6-dev-arm64-cross"],
  ["/usr/powerpc64le-linux-gnu/include/stdio.h", "libc6-dev-ppc64el-cross"],
  ["/usr/x86_64-linux-gnu/lib", "libc6-dev-amd64-cross"],
  ["/usr/bin/x86_64-linux-gnu-gcc", "gcc"],
  ["/usr/bin/x86_64-linux-gnu-g++", "g++"],
  ["/usr/bin/python3", "python3"],
  ["/usr/bin/qemu-aarch64", "qemu-user"],
  ["/usr/bin/bazel", "bazel-bootstrap"],
  ["/usr/share/bazel/rules/java", "bazel-rules-java"],
  ["/usr/share/bazel/tools/platforms", "bazel-platforms"],
  ["/usr/share/bazel/tools/skylib", "bazel-skylib"],
  ["/usr/bin/file", "file"],
  // The stand-in prefix's zlib/libzlib packages, and the sources go-nocgo is built from (make.bash).
  ["/usr/include/zlib.h", "zlib1g-dev"],
  ["/usr/include/bzlib.h", "libbz2-dev"],
  ["/bin/bzip2", "bzip2"],
  ["/usr/share/go-1.19/src/make.bash", "golang-1.19-src"],
  // The stand-in prefix's python (headers, libpython) and numpy packages.
  ["/usr/include/python3.11/Python.h", "libpython3.11-dev"],
  ["/usr/lib/python3/dist-packages/numpy/core/include/numpy/ndarrayobject.h", "python3-numpy"],
  ["/usr/bin/readelf", "binutils"],
  // The stand-in prefix's conda clang (--clang): Debian's clang under the conda triplet names.
  ["/usr/bin/clang", "clang"],
  // The shared-cache test's HTTP cache (WebDAV PUT); the test starts its own, on 127.0.0.1.
  ["/usr/sbin/nginx", "nginx"],
];

function log(message) {
  process.stderr.write(`ensure-deps: ${message}\n`);
}

/** Runs a command to its end without blocking the others; rejects (after saying which) unless it exits 0. */
function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], ...options });
    child.on("error", (error) => {
      log(`'${cmd}' could not start: ${error.message}`);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      if (code === 0) return resolve(undefined);
      log(`'${cmd} ${args.join(" ")}' failed with ${signal ? `signal ${signal}` : `exit code ${code}`}`);
      reject(new Error(`${cmd} failed`));
    });
  });
}

const isRoot = process.getuid?.() === 0;

/** The Debian packages of the real tools that are missing; exits with the apt-get line to run when not root. */
function missingDebianPackages() {
  const missing = [...new Set(DEBIAN_NEEDS.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg))];
  if (missing.length > 0 && !isRoot) {
    log(`missing Debian packages: ${missing.join(" ")}; run as root or install them: apt-get install -y ${missing.join(" ")}`);
    process.exit(1);
  }
  return missing;
}

/** Installed first when missing: the go-nocgo toolchain is built from them (whenGoIsThere). */
const GO_PACKAGES = ["golang-go", "golang-1.19-src"];

/**
 * apt-get install without dpkg's fsync of every file it unpacks (--force-unsafe-io, as image
 * builds do): on a fresh machine the install took 86 s with it and 103 s without (README,
 * Testing). A crash mid-install leaves what any interrupted install leaves: run it again.
 */
function aptInstall(packages, options) {
  return run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "-o", "Dpkg::Options::=--force-unsafe-io", ...packages], options);
}

/** Debian's arm64 zlib and Python for the conda-build tests' host prefix, unpacked into a cache. */
function fetchArm64Packages() {
  return run(process.execPath, [join(root, "scripts", "debian-arm64.mjs")], { stdio: ["ignore", "ignore", "inherit"] });
}

/**
 * apt-get update and install of `missing`, and the arm64 packages of the conda-build tests
 * (debian-arm64.mjs). The arm64 architecture is added before the one update when it is not there
 * yet, so that the arm64 step finds apt's lists current instead of updating them a second time.
 * dpkg keeps about one core and a half busy, so other work runs beside the install: the arm64
 * packages once the lists are in (`apt-get download` and `dpkg -x` take none of dpkg's locks),
 * and `whenGoIsThere` once Go's packages, installed first, are in.
 */
async function ensureDebianAndArm64Packages(missing, whenGoIsThere) {
  /** @type {Promise<unknown>[]} */
  const beside = [];
  const start = (work) => {
    const started = work();
    // Awaited at the end; until then a failure must not end the process as an unhandled rejection.
    started.catch(() => {});
    beside.push(started);
  };
  try {
    if (missing.length > 0) {
      log(`installing Debian packages: ${missing.join(" ")}`);
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
      const quiet = { env, stdio: ["ignore", "ignore", "inherit"] };
      const foreign = spawnSync("dpkg", ["--print-foreign-architectures"], { encoding: "utf8" }).stdout ?? "";
      if (!foreign.split("\n").includes("arm64")) await run("dpkg", ["--add-architecture", "arm64"]);
      // Debian starts a daemon it installs (nginx on port 80) unless policy-rc.d forbids it; the
      // tests start their own nginx on a loopback port, so none may start here.
      const policy = "/usr/sbin/policy-rc.d";
      const ownPolicy = !existsSync(policy);
      if (ownPolicy) writeFileSync(policy, "#!/bin/sh\n# written by conda-bazel's ensure-deps for the install, then removed\nexit 101\n", { mode: 0o755 });
      try {
        await run("apt-get", ["update", "-qq"], quiet);
        start(fetchArm64Packages);
        const go = missing.filter((pkg) => GO_PACKAGES.includes(pkg));
        const others = missing.filter((pkg) => !GO_PACKAGES.includes(pkg));
        if (go.length > 0) await aptInstall(go, quiet);
        start(whenGoIsThere);
        if (others.length > 0) await aptInstall(others, quiet);
      } finally {
        if (ownPolicy) rmSync(policy, { force: true });
      }
    } else {
      start(fetchArm64Packages);
      start(whenGoIsThere);
    }
  } finally {
    // Every started process ends before this chain does, even when apt failed.
    const results = await Promise.allSettled(beside);
    const failed = results.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  }
}

/** The go-nocgo toolchain of test/support/go-nocgo.mjs, when it is not in its cache yet. */
async function ensureNocgoToolchain() {
  if (existsSync(join(nocgoCachePath(), "bin", "go"))) return;
  log("building the go-nocgo test toolchain from Debian's Go sources (test/support/go-nocgo.mjs)");
  await nocgoGoroot().catch((error) => {
    log(`the go-nocgo test toolchain failed to build: ${error.message}`);
    throw error;
  });
}

/** npm ci when node_modules is missing or older than the lock file, then package.json's build
 * unless its stamp says it is up to date (scripts/build-stamp.mjs). */
async function ensureNodeModulesAndBuild() {
  const marker = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
    log("installing npm packages");
    await run("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: root });
  }
  await run(process.execPath, [join(root, "scripts", "build-stamp.mjs")], { cwd: root }).catch((error) => {
    log("the build (npm run build) failed");
    throw error;
  });
}

// The two chains share nothing: apt's downloads and dpkg (and the go-nocgo build once Go is in)
// run beside npm's install and tsc, which on a fresh machine takes the npm install, the build and
// the toolchain out of the time to the first test.
const forTests = process.argv.includes("--tests");
const results = await Promise.allSettled([
  ensureDebianAndArm64Packages(missingDebianPackages(), forTests ? ensureNocgoToolchain : async () => {}),
  ensureNodeModulesAndBuild(),
]);
// run() has said which command failed.
if (results.some((result) => result.status === "rejected")) process.exit(1);
