// The bzlmod form of the conda modules (no Bazel needed): starlark/modules/ holds exactly one
// module directory per row of CONDA_MODULES, each naming its module and aliasing the root
// package's targets, so that `local_path_override` to it gives the table's targets.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../cli/helpers.js";

const STARLARK = join(ROOT, "starlark");

/** CONDA_MODULES of private/conda_modules.bzl: module name to its labels. */
function table(): Record<string, string[]> {
  const text = readFileSync(join(STARLARK, "private", "conda_modules.bzl"), "utf8");
  const body = /^CONDA_MODULES = \{\n([\s\S]*?)^\}/m.exec(text)![1]!;
  return Object.fromEntries([...body.matchAll(/^ {4}"([^"]+)": \{([^}]*)\},$/gm)].map(([, name, row]) => [name!, [...row!.matchAll(/"(\/\/[^"]*)":/g)].map((m) => m[1]!)]));
}

describe("the bzlmod conda modules", () => {
  it("ship a MODULE.bazel and a BUILD.bazel per module of the table, and nothing else", () => {
    const modules = table();
    expect(Object.keys(modules).sort()).toEqual(["bzip2", "zlib"]);
    expect(readdirSync(join(STARLARK, "modules")).sort()).toEqual(Object.keys(modules).sort());
    for (const [name, labels] of Object.entries(modules)) {
      const dir = join(STARLARK, "modules", name);
      // Every target of these rows is in the module's root package: one BUILD.bazel covers them.
      for (const label of labels) expect(label, name).toMatch(/^\/\/:/);
      expect(readdirSync(dir).sort()).toEqual(["BUILD.bazel", "MODULE.bazel"]);
      const module = readFileSync(join(dir, "MODULE.bazel"), "utf8");
      expect(module).toContain(`module(name = "${name}")`);
      expect(module).toContain('use_repo(conda, "conda")');
      expect(readFileSync(join(dir, "BUILD.bazel"), "utf8")).toContain(`conda_module_aliases(name = "${name}")`);
    }
  });
});
