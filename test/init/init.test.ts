// `conda-bazel init` run as a user runs it, against a stand-in prefix of real compilers:
// what it writes, --check / --dry-run / --json, and every bad input refused with nothing written.
import { appendFileSync, cpSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { formatStarlark, lintStarlark } from "../../src/buildifier.js";
import { cleanEnv, cli, expectOneLine, standInPrefix, tempDir } from "../cli/helpers.js";
import { tree, workspace } from "./helpers.js";

let prefix: string;
let cache: string;

beforeAll(() => {
  prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"], filler: 2 });
  cache = tempDir();
});

const init = (ws: string, args: string[] = [], env: Record<string, string | undefined> = {}) =>
  cli(["init", "--workspace", ws, ...args], cleanEnv(cache, env));

describe("conda-bazel init", () => {
  it("writes the rc files, the WORKSPACE block, .gitignore and the vendored Starlark, all lint clean", async () => {
    const ws = workspace({ WORKSPACE: 'workspace(name = "mine")\n' });
    const result = await init(ws, ["--prefix", prefix]);
    expect(result.exitCode).toBe(0);
    const rc = readFileSync(join(ws, ".bazelrc"), "utf8");
    expect(rc).toContain("build:aarch64-unknown-linux-gnu --platforms=@conda//:aarch64-unknown-linux-gnu\n");
    expect(rc).toContain("build:x86_64-unknown-linux-gnu --platforms=@conda//:x86_64-unknown-linux-gnu\n");
    expect(rc).toContain("try-import %workspace%/.bazelrc.conda\n");
    expect(rc).not.toContain(prefix);
    const local = readFileSync(join(ws, ".bazelrc.conda"), "utf8");
    expect(local).toContain(`common --repo_env=CONDA_BAZEL_PREFIX=${prefix}\n`);
    expect(local).toContain(`build:conda-env --action_env=CONDA_PREFIX=${prefix}\n`);
    expect(readFileSync(join(ws, ".gitignore"), "utf8")).toContain("/.bazelrc.conda\n");
    const workspaceFile = readFileSync(join(ws, "WORKSPACE"), "utf8");
    expect(workspaceFile.startsWith('workspace(name = "mine")\n')).toBe(true);
    expect(workspaceFile).toContain('register_toolchains("@conda//:all")');
    // Nothing machine-specific in what is committed.
    for (const [path, [text]] of Object.entries(tree(ws))) {
      if (path !== ".bazelrc.conda") expect(text, path).not.toContain(prefix);
    }
    const starlark = Object.entries(tree(ws)).filter(([p]) => /(\.bzl|BUILD\.bazel|WORKSPACE|MODULE\.bazel)$/.test(p));
    expect(starlark.length).toBeGreaterThan(5);
    for (const [path, [text]] of starlark) {
      const type = path.endsWith(".bzl") ? "bzl" : path.endsWith("WORKSPACE") ? "workspace" : path.endsWith("MODULE.bazel") ? "module" : "build";
      expect(await lintStarlark(text, type, path), path).toEqual([]);
      expect(await formatStarlark(text, type), path).toBe(text);
    }
  });

  it("turns Bazel's detection of the machine's C/C++ compiler off only where the env's own compiler for this machine is registered", async () => {
    const line = "common --repo_env=BAZEL_DO_NOT_DETECT_CPP_TOOLCHAIN=1\n";
    const local = async (args: string[]) => {
      const ws = workspace();
      const result = await init(ws, args);
      expect(result.exitCode, result.stderr).toBe(0);
      return readFileSync(join(ws, ".bazelrc.conda"), "utf8");
    };
    expect(await local(["--prefix", prefix])).toContain(line);
    // Only aarch64's toolchain registered: tools built for this machine still need Bazel's own.
    expect(await local(["--prefix", prefix, "--target", "linux-aarch64"])).not.toContain(line);
    expect(await local(["--prefix", standInPrefix({ subdirs: ["linux-aarch64"], python: false })])).not.toContain(line);
  });

  it("writes the block into a WORKSPACE.bazel, creating no WORKSPACE beside it", async () => {
    const ws = workspace({ "WORKSPACE.bazel": 'workspace(name = "mine")\n' });
    expect((await init(ws, ["--prefix", prefix])).exitCode).toBe(0);
    expect(tree(ws)).not.toHaveProperty("WORKSPACE");
    const text = readFileSync(join(ws, "WORKSPACE.bazel"), "utf8");
    expect(text.startsWith('workspace(name = "mine")\n')).toBe(true);
    expect(text).toContain('register_toolchains("@conda//:all")');
    expect((await init(ws, ["--prefix", prefix, "--check"])).exitCode).toBe(0);
  });

  it("writes a MODULE.bazel block for a bzlmod workspace, lint clean", async () => {
    const ws = workspace({ "MODULE.bazel": 'module(name = "mine")\n' });
    expect((await init(ws, ["--prefix", prefix, "--target", "linux-aarch64"])).exitCode).toBe(0);
    const module = readFileSync(join(ws, "MODULE.bazel"), "utf8");
    expect(module).toContain('conda = use_extension("@conda_bazel//:extensions.bzl", "conda", dev_dependency = True)');
    expect(module).toContain('"aarch64-unknown-linux-gnu"');
    expect(await lintStarlark(module, "module")).toEqual([]);
  });

  it("a second run changes nothing; --check passes then, and fails with a diff after a change, writing nothing", async () => {
    const ws = workspace();
    expect((await init(ws, ["--prefix", prefix])).exitCode).toBe(0);
    const before = tree(ws);
    const again = await init(ws, ["--prefix", prefix, "--json"]);
    const report = JSON.parse(again.stdout) as { files: { path: string; action: string }[] };
    expect(report.files.every((f) => f.action === "unchanged")).toBe(true);
    expect((await init(ws, ["--prefix", prefix, "--check"])).exitCode).toBe(0);
    expect(tree(ws)).toEqual(before);
    // On CI the machine-local rc file does not exist (it is git-ignored): not drift.
    const ci = workspace();
    cpSync(ws, ci, { recursive: true, filter: (src) => !src.endsWith(".bazelrc.conda") });
    const ciCheck = await init(ci, ["--prefix", prefix, "--check", "--json"]);
    expect(ciCheck.exitCode).toBe(0);
    expect(JSON.parse(ciCheck.stdout).files).toContainEqual({ path: ".bazelrc.conda", action: "create", machineLocal: true });
    // In text mode too, the user learns on one line that Bazel will not see this machine's env.
    const ciText = await init(ci, ["--prefix", prefix, "--check"]);
    expect(ciText.exitCode).toBe(0);
    expect(ciText.stdout).toBe(".bazelrc.conda: missing (machine-local, not counted as drift; conda-bazel init writes it)");
    writeFileSync(join(ci, ".bazelrc.conda"), "common --repo_env=CONDA_BAZEL_PREFIX=/elsewhere\n");
    const stale = await init(ci, ["--prefix", prefix, "--check"]);
    expect(stale.exitCode).toBe(0);
    expect(stale.stdout).toBe(".bazelrc.conda: out of date (machine-local, not counted as drift; conda-bazel init writes it)");

    const drift = await init(ws, ["--prefix", prefix, "--check", "--target", "aarch64-unknown-linux-gnu"]);
    expect(drift.exitCode).toBe(1);
    expect(drift.stdout).toContain("--- a/.bazelrc\n+++ b/.bazelrc\n");
    expect(drift.stdout).toContain("-build:x86_64-unknown-linux-gnu --platforms=@conda//:x86_64-unknown-linux-gnu\n");
    expect(expectOneLine(drift.stderr)).toMatch(/out of date/);
    const dry = await init(ws, ["--prefix", prefix, "--dry-run", "--target", "aarch64-unknown-linux-gnu"]);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toMatch(/would update\s+\.bazelrc/);
    expect(tree(ws)).toEqual(before);
  });

  it("pins the env's fingerprint in .bazelrc.conda: an install into the env (any package) changes it, and only that file (test/bazel shows Bazel then refetches @conda)", async () => {
    const env = standInPrefix({ subdirs: ["linux-64"] });
    const ws = workspace();
    const pinned = () => /^common --repo_env=CONDA_BAZEL_FINGERPRINT=([0-9a-f]{64})$/m.exec(readFileSync(join(ws, ".bazelrc.conda"), "utf8"))?.[1];
    const described = async () => (JSON.parse((await cli(["describe", "--json", "--prefix", env], cleanEnv(cache))).stdout) as { fingerprint: string }).fingerprint;
    expect((await init(ws, ["--prefix", env])).exitCode).toBe(0);
    const before = pinned();
    expect(before).toBe(await described());
    const committed = readFileSync(join(ws, ".bazelrc"), "utf8");
    writeFileSync(join(env, "conda-meta", "six-1.16.0-pyh6c4a22f_0.json"), JSON.stringify({ name: "six", version: "1.16.0", build: "pyh6c4a22f_0", build_number: 0, subdir: "noarch", channel: "https://conda.anaconda.org/conda-forge/noarch", files: [] }));
    const after = await init(ws, ["--prefix", env]);
    expect(after.stdout).toMatch(/updated\s+\.bazelrc\.conda/);
    expect(pinned()).toBe(await described());
    expect(pinned()).not.toBe(before);
    // Only the machine-local file changes: nothing to commit.
    expect(readFileSync(join(ws, ".bazelrc"), "utf8")).toBe(committed);
  });

  it("removes a vendored file this release no longer ships (and --check reports it)", async () => {
    const ws = workspace();
    expect((await init(ws, ["--prefix", prefix])).exitCode).toBe(0);
    // As an older release left it: the file, and its line in the manifest of what init wrote.
    const stale = join(ws, "third_party", "conda_bazel", "private", "renamed_long_ago.bzl");
    writeFileSync(stale, "OLD = 1\n");
    appendFileSync(join(ws, "third_party", "conda_bazel", ".conda-bazel-manifest"), "private/renamed_long_ago.bzl\n");
    const check = await init(ws, ["--prefix", prefix, "--check"]);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain("--- a/third_party/conda_bazel/private/renamed_long_ago.bzl\n+++ /dev/null\n");
    const result = await init(ws, ["--prefix", prefix]);
    expect(result.stdout).toMatch(/deleted\s+third_party\/conda_bazel\/private\/renamed_long_ago\.bzl/);
    expect(statSync(stale, { throwIfNoEntry: false })).toBeUndefined();
  });

  it("keeps user lines with CRLF endings and no final newline in .bazelrc exactly", async () => {
    const user = "build --jobs=2\r\n# my settings\r\ntest --test_output=errors";
    const ws = workspace({ WORKSPACE: "", ".bazelrc": user });
    expect((await init(ws, ["--prefix", prefix])).exitCode).toBe(0);
    const rc = readFileSync(join(ws, ".bazelrc"), "utf8");
    expect(rc.startsWith(`${user}\r\n\r\n# BEGIN conda-bazel`)).toBe(true);
    expect(rc.replace(/\r\n/g, "")).not.toContain("\n");
  });

  const refusals: [string, () => { ws: string; args: string[]; env?: Record<string, string> }, RegExp][] = [
    ["no workspace", () => ({ ws: tempDir(), args: ["--prefix", prefix] }), /not a Bazel workspace root/],
    ["no prefix", () => ({ ws: workspace(), args: [] }), /no conda prefix/],
    ["an unknown target", () => ({ ws: workspace(), args: ["--prefix", prefix, "--target", "sparc-sun-solaris"] }), /unknown target 'sparc-sun-solaris'/],
    ["a target without a compiler", () => ({ ws: workspace(), args: ["--prefix", prefix, "--target", "linux-ppc64le"] }), /no compiler for powerpc64le-unknown-linux-gnu/],
    [
      "a begin marker without an end marker",
      () => ({ ws: workspace({ WORKSPACE: "", ".bazelrc": "build -c opt\n# BEGIN conda-bazel (managed by `conda-bazel init`; edits inside this block are overwritten)\nbuild --foo\n" }), args: ["--prefix", prefix] }),
      /\.bazelrc has a begin marker without an end marker; refusing/,
    ],
    [
      "an action_env value with a newline",
      () => ({ ws: workspace({ WORKSPACE: "", "conda-bazel.yaml": "init:\n  actionEnv: [CONDA_PREFIX, MY_FLAGS]\n" }), args: ["--prefix", prefix], env: { MY_FLAGS: "-O2\n-g" } }),
      /value of MY_FLAGS contains a line break/,
    ],
  ];
  it.each(refusals)("refuses %s with one clear line and writes nothing", async (_name, setup, message) => {
    const { ws, args, env } = setup();
    const before = tree(ws);
    const result = await init(ws, args, env);
    expect(result.exitCode).toBe(2);
    expect(expectOneLine(result.stderr)).toMatch(message);
    expect(result.stdout).toBe("");
    expect(tree(ws)).toEqual(before);
  });
});
