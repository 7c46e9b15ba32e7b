// go-build on an env that has only a cross compiler (none for its own platform): without
// --target it builds what it can and names what it left out; asking for the missing target is
// refused with one line that says it once.
import { execa } from "execa";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, cli, expectOneLine, ROOT, standInPrefix, tempDir } from "../cli/helpers.js";
import { sharedCacheDir } from "../support/shared-caches.js";

const GOLIB = join(ROOT, "examples", "monorepo", "golib");
const HOST = "x86_64-unknown-linux-gnu";
const AARCH64 = "aarch64-unknown-linux-gnu";

describe("go-build on an env of cross compilers only", () => {
  const prefix = standInPrefix({ subdirs: ["linux-aarch64"] });
  const cache = sharedCacheDir();
  const out = join(tempDir(), "dist");

  it("builds the cross target without --target and names the host target it skipped", async () => {
    const result = await cli(["go-build", GOLIB, "--prefix", prefix, "--out", out], cleanEnv(cache));
    expect(result.exitCode, result.stderr).toBe(0);
    const skipped = result.stderr.split("\n").filter((line) => line.includes("skipping"));
    expect(skipped).toEqual([expect.stringMatching(new RegExp(`^conda-bazel: go-build: skipping ${HOST}: .*not found \\(conda install .*gcc_linux-64`))]);
    expect(result.stderr).toContain(`conda-bazel: go-build: 1 target built into ${out}`);
    const { stdout } = await execa("readelf", ["-h", join(out, AARCH64, "libgolib.so")]);
    expect(stdout).toMatch(/Machine:\s+AArch64/);
  });

  it("refuses the missing target when asked for it, saying so once", async () => {
    const result = await cli(["go-build", GOLIB, "--prefix", prefix, "--out", out, "--target", HOST], cleanEnv(cache));
    expect(result.exitCode).toBe(2);
    const line = expectOneLine(result.stderr);
    expect(line.match(/no C compiler for/g)).toHaveLength(1);
    expect(line).toContain(HOST);
  });
});
