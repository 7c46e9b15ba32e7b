// Every bad input gets one line on stderr that names the thing and the fix, and exit 2.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, cli, expectOneLine, standInPrefix, tempDir } from "./helpers.js";

const cache = tempDir("conda-bazel-cache-");

describe.each(["describe", "doctor"])("%s: bad input", (command) => {
  it("says how to pass a prefix when there is none", async () => {
    const result = await cli([command], cleanEnv(cache));
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(expectOneLine(result.stderr)).toBe("conda-bazel: no conda prefix: pass --prefix DIR or activate an environment (CONDA_PREFIX is unset)");
  });

  it("takes $CONDA_PREFIX when --prefix is absent, and names it when it is not a directory", async () => {
    const missing = join(tempDir(), "gone");
    const result = await cli([command], cleanEnv(cache, { CONDA_PREFIX: missing }));
    expect(result.exitCode).toBe(2);
    expect(expectOneLine(result.stderr)).toContain(`${missing} is not a directory`);
  });

  it("refuses a directory that is not a conda prefix", async () => {
    const dir = tempDir();
    const result = await cli([command, "--prefix", dir], cleanEnv(cache));
    expect(result.exitCode).toBe(2);
    const line = expectOneLine(result.stderr);
    expect(line).toContain(`${dir} is not a conda prefix (it has no conda-meta directory)`);
    expect(line).toContain("pass --prefix with the root of a conda environment");
  });

  it("names a corrupt record it has to read, and the fix", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"], filler: 0 });
    // A mutex record: small and platform-specific, so it is one of those read for the subdir.
    const record = join(prefix, "conda-meta", "_libgcc_mutex-0.1-conda_forge.json");
    expect(existsSync(record)).toBe(true);
    writeFileSync(record, '{"name": "_libgcc_mutex", "subdir": ');
    const result = await cli([command, "--prefix", prefix], cleanEnv(cache));
    expect(result.exitCode).toBe(2);
    const line = expectOneLine(result.stderr);
    expect(line).toContain(`corrupt conda record ${record}`);
    expect(line).toContain("reinstall the package or remove the record");
  });

  it("rejects an unknown target with the list of known ones", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"] });
    const result = await cli([command, "--prefix", prefix, "--target", "linux-64,mips-linux-gnu"], cleanEnv(cache));
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    const line = expectOneLine(result.stderr);
    expect(line).toContain("unknown target 'mips-linux-gnu'");
    expect(line).toContain("x86_64-unknown-linux-gnu");
  });

  it("reports a bad config file in the working directory", async () => {
    const workspace = tempDir();
    writeFileSync(join(workspace, "conda-bazel.yaml"), "prefix: [unclosed\n");
    const result = await cli([command], cleanEnv(cache), workspace);
    expect(result.exitCode).toBe(2);
    expect(expectOneLine(result.stderr)).toContain("conda-bazel.yaml is not valid YAML");
  });
});

describe("config file", () => {
  it.each([
    ["targetz: [linux-64]\n", "(top level): Unrecognized key(s) in object: 'targetz'"],
    ["init:\n  rulesGoo: true\n", "init: Unrecognized key(s) in object: 'rulesGoo'"],
  ])("refuses a misspelt key rather than ignore it (%j)", async (text, problem) => {
    const workspace = tempDir();
    writeFileSync(join(workspace, "conda-bazel.yaml"), text);
    writeFileSync(join(workspace, "WORKSPACE"), "");
    const result = await cli(["init", "--prefix", standInPrefix({ subdirs: ["linux-64"] })], cleanEnv(cache), workspace);
    expect(result.exitCode).toBe(2);
    expect(expectOneLine(result.stderr)).toBe(`conda-bazel: ${join(workspace, "conda-bazel.yaml")}: ${problem} (see the README's conda-bazel.yaml section for valid keys)`);
    expect(existsSync(join(workspace, ".bazelrc"))).toBe(false);
  });

  it("supplies prefix and targets; flags win", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"] });
    const workspace = tempDir();
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, "conda-bazel.yaml"), `prefix: ${JSON.stringify(prefix)}\ntargets: linux-aarch64\n`);
    const fromConfig = await cli(["describe", "--json"], cleanEnv(cache), workspace);
    expect(fromConfig.exitCode).toBe(0);
    expect(JSON.parse(fromConfig.stdout).toolchains.map((t: { target: string }) => t.target)).toEqual(["aarch64-unknown-linux-gnu"]);
    const flagWins = await cli(["describe", "--json", "-t", "linux-64"], cleanEnv(cache), workspace);
    expect(JSON.parse(flagWins.stdout).toolchains.map((t: { target: string }) => t.target)).toEqual(["x86_64-unknown-linux-gnu"]);
  });
});
