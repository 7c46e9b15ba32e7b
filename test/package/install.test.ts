// conda-bazel installed the way the README tells a user to: `npm pack`, then the tarball into a
// fresh project with no dev dependencies, run through npx. Proves the package carries everything
// it needs (compiled JavaScript, bin, vendored Starlark): nothing from this source tree is used.
import { execa } from "execa";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, standInPrefix, tempDir } from "../cli/helpers.js";

const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let project: string;
let tarball: string;
let prefix: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  const packDir = tempDir("conda-bazel-pack-");
  // --ignore-scripts: the test run has already compiled lib/; `prepare` would only repeat it.
  const packed = await execa("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", packDir], { cwd: ROOT });
  tarball = join(packDir, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  project = tempDir("conda-bazel-user-");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-monorepo", version: "1.0.0", private: true }));
  // A cache directory of its own: the project must not lean on this checkout's npm cache either.
  env = { PATH: process.env.PATH, HOME: tempDir("conda-bazel-home-"), CONDA_BAZEL_CACHE_DIR: tempDir() };
  await execa("npm", ["install", "--save-dev", "--no-audit", "--no-fund", tarball], { cwd: project, env, extendEnv: false });
  prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"] });
});

const npx = (args: string[], cwd = project) => execa("npx", ["--no-install", "conda-bazel", ...args], { cwd, env, extendEnv: false, reject: false });

describe("the packed npm tarball, installed into a fresh project", () => {
  it("ships the compiled CLI, its bin and the vendored Starlark, and no tests or sources", () => {
    const installed = join(project, "node_modules", "conda-bazel");
    expect(existsSync(join(installed, "lib", "bundle", "cli.cjs"))).toBe(true);
    expect(existsSync(join(installed, "lib", "bundle", "code-cache.cjs"))).toBe(true);
    expect(existsSync(join(installed, "starlark", "private", "environment_repository.bzl"))).toBe(true);
    expect(readdirSync(installed).sort()).not.toContain("test");
    expect(readdirSync(installed).sort()).not.toContain("src");
    // Only runtime dependencies were installed: vitest and typescript are the repo's, not the user's.
    expect(existsSync(join(project, "node_modules", "vitest"))).toBe(false);
    expect(existsSync(join(project, "node_modules", "typescript"))).toBe(false);
  });

  it("answers npx conda-bazel --version with the package's version", async () => {
    const result = await npx(["--version"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
  });

  it("describes a prefix and inits a workspace whose vendored Starlark comes from the package", async () => {
    const described = await npx(["describe", "--prefix", prefix, "--json"]);
    expect(described.exitCode, described.stderr).toBe(0);
    const document = JSON.parse(described.stdout) as { toolchains: { target: string }[] };
    expect(document.toolchains.map((t) => t.target).sort()).toEqual(["aarch64-unknown-linux-gnu", "x86_64-unknown-linux-gnu"]);

    writeFileSync(join(project, "WORKSPACE"), "");
    const init = await npx(["init", "--prefix", prefix]);
    expect(init.exitCode, init.stderr).toBe(0);
    // The bundle vendors the tree it packed at build time: every file, byte for byte and with its
    // execute bit, as the package's starlark/ holds it.
    const vendored = join(project, "third_party", "conda_bazel");
    const shipped = join(project, "node_modules", "conda-bazel", "starlark");
    const files = readdirSync(shipped, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(shipped, join(e.parentPath, e.name)));
    expect(files).toContain(join("go", "go_c_shared.sh"));
    for (const file of files) {
      expect(readFileSync(join(vendored, file)), file).toEqual(readFileSync(join(shipped, file)));
      expect(statSync(join(vendored, file)).mode & 0o100, file).toBe(statSync(join(shipped, file)).mode & 0o100);
    }
    expect(readFileSync(join(project, "WORKSPACE"), "utf8")).toContain('register_toolchains("@conda//:all")');
  });
});
