// conda-bazel's Starlark against Bazel 9's rules (no Bazel needed): every cc and Python symbol
// comes from a load of @rules_cc or @rules_python, buildifier's native-* lint (in its default
// set) finds nothing and nothing turns a warning off, and the offline stand-ins the Bazel tests
// run on offer exactly the load paths and symbols the Starlark and the test workspaces use.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintStarlark } from "../../src/buildifier.js";
import { ROOT } from "../cli/helpers.js";
import { loads, unloadedRemovedGlobals } from "../support/starlark-loads.js";
import { filesUnder } from "../support/tree.js";

const STARLARK = join(ROOT, "starlark");
const STAND_INS = join(ROOT, "test", "support", "offline-repositories");

function files(dir: string, pattern: RegExp): string[] {
  return filesUnder(dir).filter((p) => pattern.test(p));
}

function type(path: string) {
  if (path.endsWith(".bzl")) return "bzl" as const;
  if (path.endsWith("MODULE.bazel")) return "module" as const;
  return path.endsWith("WORKSPACE") ? ("workspace" as const) : ("build" as const);
}

/** `@repo//pkg:file.bzl` symbol pairs that `texts` load from the given repositories. */
function externalLoads(texts: readonly string[], repositories: readonly string[]): string[] {
  return [
    ...new Set(
      texts.flatMap((text) =>
        loads(text)
          .filter((l) => repositories.some((r) => l.label.startsWith(`@${r}//`)))
          .flatMap((l) => [...l.symbols.values()].map((s) => `${l.label} ${s}`)),
      ),
    ),
  ].sort();
}

/** What a stand-in repository offers: `@repo//pkg:file.bzl` and each public top-level name. */
function offered(repository: string): string[] {
  const dir = join(STAND_INS, repository);
  return files(dir, /\.bzl$/)
    .filter((p) => !p.split("/").includes("private"))
    .flatMap((path) => {
      const slash = path.lastIndexOf("/");
      const label = `@${repository}//${path.slice(0, slash)}:${path.slice(slash + 1)}`;
      const text = readFileSync(join(dir, path), "utf8");
      return [...text.matchAll(/^(?:def (\w+)\(|(\w+) = )/gm)].map((m) => m[1] ?? m[2]!).filter((n) => !n.startsWith("_")).map((n) => `${label} ${n}`);
    })
    .sort();
}

describe("conda-bazel's Starlark for Bazel 7.2 to 9", () => {
  const sources = files(STARLARK, /(\.bzl|BUILD\.bazel|MODULE\.bazel|WORKSPACE)$/);
  const texts = sources.map((p) => readFileSync(join(STARLARK, p), "utf8"));

  it("loads every cc and Python symbol Bazel 9 removed, and names no native cc/py rule", () => {
    expect(sources.length).toBeGreaterThan(10);
    for (const [i, path] of sources.entries()) expect(unloadedRemovedGlobals(texts[i]!), path).toEqual([]);
    // The checker itself sees an unloaded use, and a loaded one as fine.
    expect(unloadedRemovedGlobals('x = cc_common.foo\ny = native.py_runtime\n"""CcInfo"""\n')).toEqual(["cc_common", "native.py_runtime"]);
    expect(unloadedRemovedGlobals('load("@rules_cc//cc/common:cc_info.bzl", "CcInfo")\nx = CcInfo\n')).toEqual([]);
  });

  it("is buildifier lint-clean with its default warnings (native-cc-*, native-py among them) and turns none off", async () => {
    for (const [i, path] of sources.entries()) {
      expect(texts[i], path).not.toMatch(/buildifier:\s*disable/);
      expect(await lintStarlark(texts[i]!, type(path), path), path).toEqual([]);
    }
    // The default set does hold the native-* checks: a bare cc_common is reported.
    const bare = await lintStarlark('"""Doc."""\n\ndef f():\n    """Doc."""\n    return cc_common\n', "bzl");
    expect(bare.join("\n")).toMatch(/native-cc-common/);
  });

  it("depends on rules_cc >= 0.2.14, rules_python and platforms, for Bazel 7.2 and later", () => {
    const module = readFileSync(join(STARLARK, "MODULE.bazel"), "utf8");
    expect(module).toContain('bazel_dep(name = "rules_cc", version = "0.2.14")');
    expect(module).toMatch(/bazel_dep\(name = "rules_python", version = "\d+\.\d+\.\d+"\)/);
    expect(module).toMatch(/bazel_dep\(name = "platforms", version = "\d+\.\d+\.\d+"\)/);
    expect(module).toContain('bazel_compatibility = [">=7.2.0"]');
  });

  it("runs on stand-ins that offer exactly the load paths and symbols it and the test workspaces use", () => {
    // The test workspaces' own BUILD files load their rules as Bazel 9 requires (bazel-offline.mjs,
    // and the example monorepo, which tests build too).
    const support = readFileSync(join(ROOT, "test", "support", "bazel-offline.mjs"), "utf8").replace(/\\"/g, '"');
    const example = join(ROOT, "examples", "monorepo");
    const exampleBuilds = files(example, /(^|\/)BUILD\.bazel$/).map((p) => readFileSync(join(example, p), "utf8"));
    const userLoads = [support, ...exampleBuilds].flatMap((text) => [...text.matchAll(/load\("@rules_(?:cc|python)\/\/[^)]*\)/g)].map((m) => m[0]));
    const used = externalLoads([...texts, ...userLoads], ["rules_cc", "rules_python"]);
    expect(used).toContain("@rules_cc//cc/toolchains:cc_toolchain.bzl cc_toolchain");
    expect(used).toContain("@rules_python//python:py_runtime.bzl py_runtime");
    // Bazel 4.2.3's own @bazel_tools loads the rules of @rules_cc//cc:defs.bzl: those are offered too.
    const forBazelTools = offered("rules_cc").filter((s) => s.startsWith("@rules_cc//cc:defs.bzl ") && !used.includes(s));
    expect([...offered("rules_cc"), ...offered("rules_python")].filter((s) => !forBazelTools.includes(s)).sort()).toEqual(used);
    const readme = readFileSync(join(STAND_INS, "README.md"), "utf8");
    for (const label of new Set(used.map((s) => s.split(" ")[0]!))) expect(readme, label).toContain(`\`${label}\``);
  });
});
