// discoverEnvironment called in-process, as the commands call it (here from the sources).
import { describe, expect, it } from "vitest";
import { discoverEnvironment } from "../../src/conda/discover.js";
import { findTarget } from "../../src/targets.js";
import { cleanEnv, cli, standInPrefix, tempDir } from "../cli/helpers.js";

describe("discoverEnvironment", () => {
  it("returns what describe --json prints (the document the Bazel rule reads), the same from a cold and a warm cache", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"] });
    const cacheDir = tempDir("conda-bazel-cache-");
    const env = { PATH: process.env.PATH, CONDA_BAZEL_CACHE_DIR: cacheDir };
    const targets = [findTarget("linux/arm64")!, findTarget("win-64")!];
    const cold = await discoverEnvironment({ prefix, targets, env, packages: true });
    const described = await cli(["describe", "--json", "--prefix", prefix, "--target", "linux/arm64,win-64"], cleanEnv(tempDir("conda-bazel-cache-")));
    expect(described.exitCode, described.stderr).toBe(0);
    expect(JSON.parse(described.stdout)).toEqual(cold);
    expect(cold.toolchains.map((t) => t.target)).toEqual(["aarch64-unknown-linux-gnu"]);
    expect(cold.missing.map((m) => m.target)).toEqual(["x86_64-pc-windows-gnu"]);
    const warm = await discoverEnvironment({ prefix, targets, env, packages: true });
    expect(JSON.stringify(warm)).toBe(JSON.stringify(cold));
  });

  it("reads no package records unless asked (only describe reports them): the same document without them", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"], go: "none", python: false });
    const env = { PATH: process.env.PATH, CONDA_BAZEL_CACHE_DIR: tempDir("conda-bazel-cache-") };
    const full = await discoverEnvironment({ prefix, env, packages: true });
    expect(full.packages!.map((p) => p.name)).toContain("zlib");
    const { packages: _packages, packageProblems: _problems, ...rest } = full;
    expect(await discoverEnvironment({ prefix, env })).toEqual(rest);
  });
});
