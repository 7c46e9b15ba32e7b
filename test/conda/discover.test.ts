// discoverEnvironment called in-process, as the other commands call it (here from the sources).
import { describe, expect, it } from "vitest";
import { discoverEnvironment } from "../../src/conda/discover.js";
import { EnvironmentSchema } from "../../src/environment.js";
import { findTarget } from "../../src/targets.js";
import { standInPrefix, tempDir } from "../cli/helpers.js";

describe("discoverEnvironment", () => {
  it("returns a schema-valid Environment, the same from a cold and a warm cache", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"] });
    const env = { PATH: process.env.PATH, CONDA_BAZEL_CACHE_DIR: tempDir("conda-bazel-cache-") };
    const targets = [findTarget("linux/arm64")!, findTarget("win-64")!];
    const cold = await discoverEnvironment({ prefix, targets, env });
    expect(EnvironmentSchema.parse(cold)).toEqual(cold);
    expect(cold.toolchains.map((t) => t.target)).toEqual(["aarch64-unknown-linux-gnu"]);
    expect(cold.missing.map((m) => m.target)).toEqual(["x86_64-pc-windows-gnu"]);
    const warm = await discoverEnvironment({ prefix, targets, env });
    expect(JSON.stringify(warm)).toBe(JSON.stringify(cold));
  });
});
