// `conda-bazel go-env --json`, the callout behind @conda's Go toolchains: go-build's environment
// per target with every machine-specific path left as a placeholder, so that the Bazel actions
// built from it carry no path of this machine (their keys match across checkouts and prefixes).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, cli, standInPrefix, tempDir } from "../cli/helpers.js";

interface GoEnvDoc {
  unavailable: string | null;
  targets: { target: string; env: Record<string, string>; args: string[]; library: string }[];
}

describe("conda-bazel go-env", () => {
  it("prints go-build's environment per target with placeholders instead of the prefix and GOROOT", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64", "win-64"], filler: 1 }, "env with spaces");
    const cache = join(tempDir(), "probe-cache");
    const result = await cli(["go-env", "--prefix", prefix, "--json"], cleanEnv(cache));
    expect(result.exitCode, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as GoEnvDoc;
    expect(doc.unavailable).toBeNull();
    expect(doc.targets.map((t) => t.target)).toEqual(["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "x86_64-pc-windows-gnu"]);
    for (const t of doc.targets) {
      expect(result.stdout).not.toContain(prefix);
      // The toolchain's own C and C++ compilers, through the prefix linked into the cc package.
      expect(t.env.CC).toMatch(/^@@PREFIX@@\/bin\/[\w-]+-g?cc$/);
      expect(t.env.CXX).toMatch(/^@@PREFIX@@\/bin\/[\w-]+-[cg]\+\+$/);
      expect(t.env.GOROOT).toBe("@@GOROOT@@");
      expect(t.env.CGO_ENABLED).toBe("1");
      expect(t.args).toContain("@@OUTPUT@@");
      expect(t.library).toContain("@@NAME@@");
    }
    // go-nocgo is the same toolchain with cgo off by default: the builds turn it on.
    const nocgo = standInPrefix({ subdirs: ["linux-64"], go: "nocgo", filler: 1 });
    const same = JSON.parse((await cli(["go-env", "--prefix", nocgo, "--json"], cleanEnv(cache))).stdout) as GoEnvDoc;
    expect(same.unavailable).toBeNull();
    expect(same.targets.map((t) => [t.target, t.env.CGO_ENABLED, t.env.CC])).toEqual([["x86_64-unknown-linux-gnu", "1", "@@PREFIX@@/bin/x86_64-conda-linux-gnu-cc"]]);
  });
});
