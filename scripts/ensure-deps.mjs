#!/usr/bin/env node
// Installs what the tests, the demo and the benchmarks need on a fresh Debian 12 machine:
// npm packages when node_modules is missing or stale, and the Debian packages of the real
// tools (Go, cross gcc, qemu, Bazel 4.2.3, nginx) when a tool is missing. Safe to run repeatedly.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// What each real-tool check needs: a file that proves it is installed, and its Debian package.
const DEBIAN_NEEDS = [
  ["/usr/bin/go", "golang-go"],
  ["/usr/bin/aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu"],
  ["/usr/bin/aarch64-linux-gnu-g++", "g++-aarch64-linux-gnu"],
  ["/usr/bin/powerpc64le-linux-gnu-gcc", "gcc-powerpc64le-linux-gnu"],
  ["/usr/bin/powerpc64le-linux-gnu-g++", "g++-powerpc64le-linux-gnu"],
  ["/usr/bin/x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64"],
  ["/usr/bin/x86_64-w64-mingw32-g++", "g++-mingw-w64-x86-64"],
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

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], ...options });
  if (result.status !== 0) {
    log(`'${cmd} ${args.join(" ")}' failed with exit code ${result.status}`);
    process.exitCode = 1;
    throw new Error(`${cmd} failed`);
  }
}

function ensureDebianPackages() {
  const missing = [...new Set(DEBIAN_NEEDS.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg))];
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    log(`missing Debian packages: ${missing.join(" ")}; run as root or install them: apt-get install -y ${missing.join(" ")}`);
    process.exit(1);
  }
  log(`installing Debian packages: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // Debian starts a daemon it installs (nginx on port 80) unless policy-rc.d forbids it; the tests
  // start their own nginx on a loopback port, so none may start here.
  const policy = "/usr/sbin/policy-rc.d";
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, "#!/bin/sh\n# written by conda-bazel's ensure-deps for the install, then removed\nexit 101\n", { mode: 0o755 });
  try {
    run("apt-get", ["update", "-qq"], { env, stdio: ["ignore", "ignore", "inherit"] });
    run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { env, stdio: ["ignore", "ignore", "inherit"] });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}

function ensureNodeModules() {
  const marker = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log("installing npm packages");
  run("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: root });
}

try {
  ensureDebianPackages();
  ensureNodeModules();
} catch {
  // run() has said which command failed.
  process.exit(1);
}
// The conda-build tests' aarch64 host prefix: Debian's arm64 zlib and Python, unpacked into a cache.
try {
  const { ensureArm64Packages } = await import("./debian-arm64.mjs");
  ensureArm64Packages();
} catch (error) {
  log(`arm64 packages: ${error.message}`);
  process.exit(1);
}
try {
  // package.json's build: tsc, then the target table's Starlark and the bundle bin/ loads; skipped
  // when a stamp says the outputs are those of the current inputs (scripts/build-stamp.mjs).
  const { ensureBuilt } = await import("./build-stamp.mjs");
  if (ensureBuilt(root) === "up to date") log("the build is up to date (npm run build skipped)");
} catch {
  log("the build (npm run build) failed");
  process.exit(1);
}
