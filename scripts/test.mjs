#!/usr/bin/env node
// `npm test`: installs what the tests need, builds, runs every test with vitest in a temp dir of
// the run's own (removed after), and ends with the line `N passed, N failed` so that a run with
// no tests is visible.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const setup = spawnSync(process.execPath, [join(root, "scripts", "ensure-deps.mjs"), "--tests"], { stdio: "inherit" });
if (setup.status !== 0) {
  process.stdout.write("0 passed, 1 failed\n");
  process.exit(1);
}

/**
 * Where the run's temp dirs go: an explicit TMPDIR; else /dev/shm when it is a tmpfs with room to
 * spare; else the usual temp dir. The tests write Bazel output bases, Go caches, prefixes and npm
 * installs (about 0.7 GB at the peak) and delete them again; on the disk's file system that is
 * kernel time: 425 CPU-seconds of it in a run on ext4, 336 to 372 in four runs on tmpfs (README,
 * Testing). The files are the same either way.
 */
function runTempRoot() {
  if (process.env.TMPDIR) return tmpdir();
  const TMPFS_MAGIC = 0x01021994;
  try {
    const shm = statfsSync("/dev/shm");
    if (shm.type === TMPFS_MAGIC && shm.bavail * shm.bsize >= 4 * 2 ** 30) return "/dev/shm";
  } catch {
    // No /dev/shm: the usual temp dir.
  }
  return tmpdir();
}

const reportDir = mkdtempSync(join(runTempRoot(), "conda-bazel-test-"));
const runTemp = join(reportDir, "tmp");
mkdirSync(runTemp);
const reportFile = join(reportDir, "report.json");
// The test files that build the same things share Go's and Bazel's caches for this run (see
// test/support/shared-caches.ts); a file run alone gets its own.
const vitest = spawnSync(
  join(root, "node_modules", ".bin", "vitest"),
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`, ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit", env: { ...process.env, TMPDIR: runTemp, CONDA_BAZEL_TEST_SHARED_CACHES: join(reportDir, "shared") } },
);

let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(reportFile, "utf8"));
  passed = report.numPassedTests;
  // A file that fails to load or whose set-up throws fails no test of its own; it counts once.
  // (numFailedTestSuites counts every describe block around a failed test as well.)
  const brokenFiles = report.testResults.filter((file) => file.status === "failed" && !file.assertionResults.some((test) => test.status === "failed"));
  failed = report.numFailedTests + brokenFiles.length;
} catch {
  failed = 1;
}
rmSync(reportDir, { recursive: true, force: true });
if (vitest.status !== 0 && failed === 0) failed = 1;
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
