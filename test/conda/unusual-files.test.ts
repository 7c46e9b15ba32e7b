// Issue 9 item 10: files of a prefix that are not what they should be. A FIFO or a link to
// /dev/zero in conda-meta or as the prefix's .condarc used to hang describe (and the Bazel fetch)
// or fill memory; now each is refused with one line and exit 2, quickly.
import { execFileSync } from "node:child_process";
import { rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, cli, expectOneLine, standInPrefix, tempDir } from "../cli/helpers.js";

/** describe on `prefix`, which must end within 20 s whatever the prefix holds. */
async function refused(prefix: string, pattern: RegExp): Promise<void> {
  const started = Date.now();
  const run = await Promise.race([
    cli(["describe", "--prefix", prefix], cleanEnv(tempDir())),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("describe hangs")), 20_000).unref()),
  ]);
  expect(run.exitCode, run.stderr).toBe(2);
  expect(expectOneLine(run.stderr)).toMatch(pattern);
  expect(Date.now() - started).toBeLessThan(20_000);
}

// A mutex record: small and platform-specific, so it is among those read for the subdir.
const MUTEX = join("conda-meta", "_libgcc_mutex-0.1-conda_forge.json");

describe("files of a prefix that are not regular files", () => {
  it("a conda-meta record that is a FIFO", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"], python: false });
    rmSync(join(prefix, MUTEX));
    execFileSync("mkfifo", [join(prefix, MUTEX)]);
    await refused(prefix, /conda record .*_libgcc_mutex-0\.1-conda_forge\.json is a FIFO, not a regular file \(replace it/);
  });

  it("a conda-meta record that links to /dev/zero", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"], python: false });
    rmSync(join(prefix, MUTEX));
    symlinkSync("/dev/zero", join(prefix, MUTEX));
    await refused(prefix, /conda record .*_libgcc_mutex-0\.1-conda_forge\.json is a device, not a regular file/);
  });

  it("a .condarc that is a FIFO, or larger than any .condarc", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"], python: false });
    execFileSync("mkfifo", [join(prefix, ".condarc")]);
    await refused(prefix, /the prefix's \.condarc .*\.condarc is a FIFO, not a regular file/);
    rmSync(join(prefix, ".condarc"));
    writeFileSync(join(prefix, ".condarc"), `subdir: linux-64\n${"#".repeat(1024 * 1024)}\n`);
    await refused(prefix, /the prefix's \.condarc .* is larger than 262144 bytes/);
  });
});
