// init and the Bazel a workspace pins: a MODULE.bazel workspace gets everything bzlmod needs
// (lint-clean as buildifier --type=module reads it), Bazel 9 without MODULE.bazel is refused with
// the fix, and Bazel 8 with a WORKSPACE is told about --enable_workspace.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { lintStarlark } from "../../src/buildifier.js";
import { cleanEnv, cli, expectOneLine, standInPrefix, tempDir } from "../cli/helpers.js";
import { filesUnder } from "../support/tree.js";

let prefix: string;
let cache: string;

beforeAll(() => {
  prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"], filler: 2 });
  cache = tempDir();
});

function workspace(files: Record<string, string>): string {
  const dir = tempDir("conda-bazel-ws-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of filesUnder(dir)) out[entry] = readFileSync(join(dir, entry), "utf8");
  return out;
}

const init = (ws: string, args: string[] = []) => cli(["init", "--workspace", ws, "--prefix", prefix, ...args], cleanEnv(cache));

describe("init and the Bazel mode of a workspace", () => {
  it("writes the whole bzlmod setup into MODULE.bazel, with common --repo_env lines, all lint-clean as modules", async () => {
    const ws = workspace({ "MODULE.bazel": 'module(name = "mine")\n', ".bazelversion": "9.0.0\n" });
    const result = await init(ws, ["--target", "linux-aarch64"]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    const module = readFileSync(join(ws, "MODULE.bazel"), "utf8");
    for (const line of [
      'bazel_dep(name = "conda_bazel", version = "0.1.0", dev_dependency = True)',
      "local_path_override(",
      'conda = use_extension("@conda_bazel//:extensions.bzl", "conda", dev_dependency = True)',
      "conda.environment(",
      'use_repo(conda, "conda")',
    ]) {
      expect(module).toContain(line);
    }
    expect(module).toMatch(/register_toolchains\(\s*"@conda\/\/:all",\s*dev_dependency = True,\s*\)/);
    expect(await lintStarlark(module, "module", "MODULE.bazel")).toEqual([]);
    const vendored = readFileSync(join(ws, "third_party", "conda_bazel", "MODULE.bazel"), "utf8");
    expect(await lintStarlark(vendored, "module", "third_party/conda_bazel/MODULE.bazel")).toEqual([]);
    expect(vendored).toContain('bazel_compatibility = [">=7.2.0"]');
    const local = readFileSync(join(ws, ".bazelrc.conda"), "utf8");
    expect(local).toContain(`common --repo_env=CONDA_BAZEL_PREFIX=${prefix}\n`);
    expect(local).not.toMatch(/^(build|fetch|query|sync) --repo_env/m);
  });

  it("refuses a Bazel 9 workspace with a WORKSPACE and no MODULE.bazel, saying to create one, and writes nothing", async () => {
    for (const version of ["9.0.0", "latest", "9.1.0rc2"]) {
      const ws = workspace({ WORKSPACE: 'workspace(name = "mine")\n', ".bazelversion": `${version}\n` });
      const before = tree(ws);
      const result = await init(ws);
      expect(result.exitCode, version).toBe(2);
      expect(expectOneLine(result.stderr)).toMatch(/no MODULE\.bazel.*Bazel 9 or later, which reads no WORKSPACE file.*create MODULE\.bazel in the workspace root/);
      expect(tree(ws)).toEqual(before);
    }
  });

  it("writes into MODULE.bazel, not the WORKSPACE Bazel 9 ignores, when a workspace has both", async () => {
    const ws = workspace({ WORKSPACE: "# old\n", "MODULE.bazel": "", ".bazelversion": "9.0.0\n" });
    expect((await init(ws)).exitCode).toBe(0);
    expect(readFileSync(join(ws, "WORKSPACE"), "utf8")).toBe("# old\n");
    expect(readFileSync(join(ws, "MODULE.bazel"), "utf8")).toContain("use_repo(conda, ");
  });

  it("tells a Bazel 8 WORKSPACE user that WORKSPACE needs common --enable_workspace, and picks the file Bazel 8 reads", async () => {
    const ws = workspace({ WORKSPACE: "", ".bazelversion": "8.4.2\n" });
    const result = await init(ws);
    expect(result.exitCode).toBe(0);
    expect(expectOneLine(result.stderr)).toMatch(/warning: Bazel 8 \(\.bazelversion\) reads WORKSPACE only with `common --enable_workspace`/);
    expect(readFileSync(join(ws, "WORKSPACE"), "utf8")).toContain("conda_environment(");

    const enabled = workspace({ WORKSPACE: "", "MODULE.bazel": "", ".bazelversion": "8.4.2\n", ".bazelrc": "common --enable_workspace\n" });
    const quiet = await init(enabled);
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stderr).toBe("");
    expect(readFileSync(join(enabled, "WORKSPACE"), "utf8")).toContain("conda_environment(");

    // Without the flag Bazel 8 reads only MODULE.bazel, so that is where the block goes.
    const bzlmod = workspace({ WORKSPACE: "# unread\n", "MODULE.bazel": "", ".bazelversion": "8.4.2\n" });
    const moved = await init(bzlmod);
    expect(moved.exitCode).toBe(0);
    expect(moved.stderr).toBe("");
    expect(readFileSync(join(bzlmod, "WORKSPACE"), "utf8")).toBe("# unread\n");
    expect(readFileSync(join(bzlmod, "MODULE.bazel"), "utf8")).toContain("use_repo(conda, ");
  });
});
