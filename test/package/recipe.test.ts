// recipe/, the rattler-build recipe of conda-bazel itself. rattler-build cannot run here, so the
// test does what it does: renders the recipe's `${{ ... }}` from its context, copies the source
// (`path: ..`, files git does not ignore) into a work dir, runs build.sh with the variables a
// build sets, then runs the recipe's own test commands against what landed in $PREFIX, with the
// work dir gone.
import { execa } from "execa";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, tempDir } from "../cli/helpers.js";

const RECIPE_DIR = join(ROOT, "recipe");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string; license: string; engines: { node: string } };

interface Recipe {
  context: Record<string, string>;
  package: { name: string; version: string };
  source: { path: string };
  build: { noarch: string; script: string };
  requirements: { build: string[]; run: string[] };
  tests: { script: string[] }[];
  about: { license: string; license_file: string };
}

/** The recipe with every `${{ name }}` replaced from its context, as rattler-build renders it;
 * an expression the context does not define fails the test rather than render as text. */
function renderRecipe(): Recipe {
  const raw = parse(readFileSync(join(RECIPE_DIR, "recipe.yaml"), "utf8")) as { context: Record<string, string> };
  const text = JSON.stringify(raw).replace(/\$\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = raw.context[name];
    if (value === undefined) throw new Error(`recipe.yaml uses \${{ ${name} }} but its context does not set it`);
    return value;
  });
  expect(text).not.toContain("${{");
  return JSON.parse(text) as Recipe;
}

describe("recipe/ (conda-bazel as a conda package)", () => {
  const recipe = renderRecipe();

  it("renders to the npm package's name, version and license, noarch, on nodejs >= the engines floor", () => {
    expect(recipe.package).toEqual({ name: PACKAGE.name, version: PACKAGE.version });
    expect(recipe.build.noarch).toBe("generic");
    expect(recipe.about.license).toBe(PACKAGE.license);
    expect(existsSync(join(RECIPE_DIR, recipe.source.path, recipe.about.license_file))).toBe(true);
    expect(PACKAGE.engines.node).toBe(">=20");
    expect(recipe.requirements.run).toContain("nodejs >=20");
    expect(recipe.tests.flatMap((t) => t.script)).toContain("conda-bazel --version");
  });

  describe("build.sh under rattler-build's variables", () => {
    const root = tempDir("conda-bazel-recipe-self-");
    const prefix = join(root, "host env");
    const srcDir = join(root, "work");
    // The env's nodejs: the one running this test, first on PATH as an activated env puts it.
    const path = `${join(prefix, "bin")}:${dirname(process.execPath)}:/usr/bin:/bin`;

    beforeAll(async () => {
      mkdirSync(join(prefix, "conda-meta"), { recursive: true });
      // npm reads its global config from $PREFIX/etc/npmrc when PREFIX is set, as it is in a
      // build: the CA bundle this machine's registry access needs is passed on explicitly.
      const cafile = (await execa("npm", ["config", "get", "cafile"])).stdout.trim();
      const files = (await execa("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: join(RECIPE_DIR, recipe.source.path) })).stdout.split("\0").filter(Boolean);
      for (const file of files) {
        if (existsSync(join(ROOT, file))) cpSync(join(ROOT, file), join(srcDir, file), { recursive: true });
      }
      const env = {
        PATH: path,
        HOME: join(root, "home"),
        PREFIX: prefix,
        BUILD_PREFIX: prefix,
        SRC_DIR: srcDir,
        RECIPE_DIR,
        PKG_NAME: recipe.package.name,
        PKG_VERSION: recipe.package.version,
        PKG_BUILDNUM: "0",
        target_platform: "noarch",
        build_platform: "linux-64",
        ...(cafile && cafile !== "null" ? { npm_config_cafile: cafile } : {}),
      };
      await execa("bash", [join(RECIPE_DIR, recipe.build.script)], { cwd: srcDir, env, extendEnv: false });
      // What the package holds must work without the work dir: rattler-build deletes it.
      rmSync(srcDir, { recursive: true, force: true });
    });

    it("installs $PREFIX/bin/conda-bazel, and the recipe's test commands pass", async () => {
      const tool = join(prefix, "bin", "conda-bazel");
      expect(existsSync(tool)).toBe(true);
      for (const command of recipe.tests.flatMap((t) => t.script)) {
        const result = await execa("bash", ["-c", command], { env: { PATH: path, HOME: join(root, "home") }, extendEnv: false, reject: false });
        expect(result.exitCode, `${command}: ${result.stderr}`).toBe(0);
        if (command === "conda-bazel --version") expect(result.stdout.trim()).toBe(PACKAGE.version);
      }
      // Runtime dependencies only: the compiler the build used is not shipped.
      expect(existsSync(join(prefix, "lib", "node_modules", "conda-bazel", "node_modules", "typescript"))).toBe(false);
      expect(existsSync(join(prefix, "lib", "node_modules", "conda-bazel", "starlark", "private", "environment_repository.bzl"))).toBe(true);
    });
  });
});
