// The rc-file generators as pure functions of a hand-built Environment and Config.
import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config.js";
import type { Environment } from "../../src/environment.js";
import { UsageError } from "../../src/errors.js";
import { bazelrcBlock, localBazelrc } from "../../src/generate/bazelrc.js";
import { rcWord, starlarkString } from "../../src/generate/escape.js";
import { GENERATORS } from "../../src/generate/index.js";
import type { GenerateContext } from "../../src/generate/types.js";
import { findTarget } from "../../src/targets.js";

const env: Environment = {
  schemaVersion: 1,
  prefix: "/opt/envs/dev",
  subdir: "linux-64",
  fingerprint: "0".repeat(64),
  python: null,
  go: null,
  toolchains: [],
  missing: [],
  packages: [],
  packageProblems: [],
};

const context = (variables: Record<string, string | undefined> = {}): GenerateContext => ({
  workspace: "/ws",
  mode: "workspace",
  workspaceFile: "WORKSPACE",
  targets: [findTarget("linux-64")!, findTarget("linux-aarch64")!],
  callout: { node: "/usr/bin/node", script: "/lib/node_modules/conda-bazel/bin/conda-bazel.cjs" },
  variables,
  starlarkFiles: new Map(),
});

const text = (files: readonly { contents: string }[]) => files.map((f) => f.contents).join("");

describe("rc generators", () => {
  it("put one --platforms config per target in the committed block", () => {
    const block = text(bazelrcBlock(env, ConfigSchema.parse({}), context()));
    expect(block).toContain("build:x86_64-unknown-linux-gnu --platforms=@conda//:x86_64-unknown-linux-gnu\n");
    expect(block).toContain("build:aarch64-unknown-linux-gnu --platforms=@conda//:aarch64-unknown-linux-gnu\n");
    expect(block).toContain("build --incompatible_strict_action_env\n");
  });

  it("put nothing of the machine (prefix, node, CLI, workspace path) in any committed file, only in the machine-local one", () => {
    const config = ConfigSchema.parse({ init: { rulesGo: true } });
    const machine = [env.prefix, "/usr/bin/node", "/lib/node_modules/conda-bazel", "/ws/"];
    for (const mode of ["workspace", "bzlmod"] as const) {
      const files = GENERATORS.flatMap((generate) => generate(env, config, { ...context({ CONDA_PREFIX: env.prefix }), mode, workspaceFile: mode === "bzlmod" ? "MODULE.bazel" : "WORKSPACE" }));
      const local = files.filter((f) => f.machineLocal);
      expect(local.map((f) => f.path)).toEqual([".bazelrc.conda"]);
      for (const path of machine.slice(0, 3)) expect(text(local), path).toContain(path);
      for (const file of files.filter((f) => !f.machineLocal)) {
        for (const path of machine) expect(file.contents, `${mode}: ${file.path}`).not.toContain(path);
      }
    }
  });

  it("pin action_env under the configured config, or under plain build, with values from the env or the shell", () => {
    const named = text(localBazelrc(env, ConfigSchema.parse({ init: { actionEnv: ["CONDA_PREFIX", "CONDA_DEFAULT_ENV", "PYTHONPATH", "UNSET_VAR"] } }), context({ PYTHONPATH: "/src/py" })));
    expect(named).toContain("build:conda-env --action_env=CONDA_PREFIX=/opt/envs/dev\n");
    expect(named).toContain("build:conda-env --action_env=CONDA_DEFAULT_ENV=dev\n");
    expect(named).toContain("build:conda-env --action_env=PYTHONPATH=/src/py\n");
    expect(named).not.toContain("UNSET_VAR");
    // conda names an env by its folder only inside an envs/ directory.
    const elsewhere = text(localBazelrc({ ...env, prefix: "/work/tools/dev env" }, ConfigSchema.parse({}), context()));
    expect(elsewhere).toContain("build:conda-env --action_env=CONDA_DEFAULT_ENV=/work/tools/dev\\ env\n");
    const plain = text(localBazelrc(env, ConfigSchema.parse({ init: { actionEnvConfig: "build" } }), context()));
    expect(plain).toContain("\nbuild --action_env=CONDA_PREFIX=/opt/envs/dev\n");
    expect(plain).not.toContain("build:conda-env");
    // One `common` line per variable, so that every command that can fetch @conda (mod, vendor...)
    // sees it; no per-command lines (Bazel 9 has no `sync` and warns about each such line).
    expect(plain).toContain("common --repo_env=CONDA_BAZEL_PREFIX=/opt/envs/dev\n");
    expect(plain.split("\n").filter((l) => l.includes("--repo_env=")).every((l) => l.startsWith("common --repo_env="))).toBe(true);
    expect(plain).not.toMatch(/^(build|fetch|query|sync) --repo_env/m);
  });
});

describe("escaping", () => {
  it("backslash-escapes what Bazel's rc tokenizer would split or strip", () => {
    expect(rcWord(`a b"c'd\\e#f$g`, "x")).toBe(`a\\ b\\"c\\'d\\\\e\\#f$g`);
  });
  it("refuses line breaks and control characters", () => {
    expect(() => rcWord("a\nb", "the prefix")).toThrow(UsageError);
    expect(() => rcWord("a\nb", "the prefix")).toThrow(/the prefix contains a line break/);
    expect(() => starlarkString("a\u0007b", "the path")).toThrow(/control character/);
    expect(starlarkString('a"b\\c', "x")).toBe('"a\\"b\\\\c"');
  });
});
