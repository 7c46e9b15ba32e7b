// The rules_go wiring init writes with `init.rulesGo`: what it names (rules_go is @rules_go under
// bzlmod, @io_bazel_rules_go in a WORKSPACE), and that buildifier finds it well-formed and
// lint-clean for WORKSPACE and bzlmod workspaces. rules_go itself cannot be
// fetched here; test/demo.test.ts checks the cgo platforms against real Bazel.
import { describe, expect, it } from "vitest";
import { formatStarlark, lintStarlark } from "../../src/buildifier.js";
import { ConfigSchema } from "../../src/config.js";
import type { Environment } from "../../src/environment.js";
import { rulesGoFiles } from "../../src/generate/rules-go.js";
import type { GenerateContext } from "../../src/generate/types.js";
import { TARGETS } from "../../src/targets.js";

// The generator reads nothing from the environment: the SDK is named by a label into @conda.
const ENV: Environment = { schemaVersion: 1, prefix: "/p", subdir: "linux-64", fingerprint: "0".repeat(64), python: null, go: null, toolchains: [], missing: [], packages: [], packageProblems: [] };

function context(mode: "workspace" | "bzlmod"): GenerateContext {
  return {
    workspace: "/ws",
    mode,
    workspaceFile: mode === "bzlmod" ? "MODULE.bazel" : "WORKSPACE",
    targets: TARGETS.slice(0, 2),
    callout: { node: "/node", script: "/cli.js" },
    variables: {},
    starlarkFiles: new Map(),
  };
}

describe("rules_go wiring", () => {
  it("is written only when init.rulesGo is set", () => {
    expect(rulesGoFiles(ENV, ConfigSchema.parse({}), context("workspace"))).toEqual([]);
  });

  for (const mode of ["workspace", "bzlmod"] as const) {
    it(`registers the conda GOROOT and the cgo platforms, lint-clean (${mode})`, async () => {
      const config = ConfigSchema.parse({ init: { rulesGo: true, repository: "condaenv" } });
      const files = rulesGoFiles(ENV, config, context(mode));
      expect(files.map((f) => f.path)).toEqual(["third_party/conda_rules_go/BUILD.bazel", mode === "bzlmod" ? "third_party/conda_rules_go/go_sdk.MODULE.bazel" : "third_party/conda_rules_go/defs.bzl"]);
      for (const file of files) {
        const text = await formatStarlark(file.contents, file.starlark!);
        expect(text, `${file.path} is formatted as buildifier formats it`).toBe(file.contents);
        expect(await lintStarlark(text, file.starlark!, file.path)).toEqual([]);
        if (file.path.endsWith("BUILD.bazel")) {
          for (const t of TARGETS.slice(0, 2)) expect(text).toContain(`parents = ["@condaenv//:${t.triplet}"]`);
        } else {
          expect(text).toContain('root_file = "@condaenv//go:ROOT"');
        }
        // Each mode names rules_go by the repository name that mode gives it, and only by that.
        const [own, other] = mode === "bzlmod" ? ["@rules_go//", "@io_bazel_rules_go//"] : ["@io_bazel_rules_go//", "@rules_go//"];
        expect(text).toContain(own);
        expect(text).not.toContain(other);
      }
    });
  }
});
