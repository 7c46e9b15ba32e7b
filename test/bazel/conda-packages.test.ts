// The env's libraries as Bazel deps, with the real Bazel 4.2.3: `@conda//pkgs/zlib` compresses
// and decompresses in a cc_binary (bazel run) and a cc_test, `:static` links libz.a, a library
// written against the Bazel Central Registry's `@zlib//:zlib` and `@bzip2//:bz2` gets the env's
// prebuilt libraries (no zlib or bzip2 source compiled, both loaded from the prefix), a cross
// build depending on a package stops at analysis naming why, a module whose package the env lacks
// says what to install, and a record promising a file the prefix lacks stops the fetch with one
// message. One workspace and one Bazel server for the file.
import { execa } from "execa";
import { appendFileSync, cpSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";
import { formatStarlark, lintStarlark } from "../../src/buildifier.js";
import { cleanEnv, cli, tempDir } from "../cli/helpers.js";
import { Bazel, offlineRepositories, requireBazel } from "../support/bazel.js";
import { unloadedRemovedGlobals } from "../support/starlark-loads.js";

const FIXTURE = join(import.meta.dirname, "fixtures", "packages");
const AARCH64 = "aarch64-unknown-linux-gnu";

describe("conda packages as Bazel deps, with real Bazel 4.2.3", () => {
  requireBazel();
  const root = tempDir("conda-bazel-pkgs-");
  const prefix = join(root, "env");
  const ws = join(root, "ws");
  const cache = join(root, "cache");
  let bazel: Bazel;
  let outputBase: string;

  beforeAll(async () => {
    buildStandInPrefix(prefix, { subdirs: ["linux-64", "linux-aarch64"], go: "none", python: false, filler: 2 });
    cpSync(FIXTURE, ws, { recursive: true });
    writeFileSync(join(ws, "WORKSPACE"), 'workspace(name = "pkgs")\n');
    const init = await cli(["init", "--prefix", prefix, "--workspace", ws], cleanEnv(cache));
    expect(init.exitCode, init.stderr).toBe(0);
    // The Bazel modules zlib and bzip2, from the env (what the README tells WORKSPACE users to add).
    appendFileSync(join(ws, "WORKSPACE"), '\nload("@conda_bazel//:defs.bzl", "conda_modules")\n\nconda_modules()\n');
    bazel = new Bazel(ws, join(root, "out"), offlineRepositories(join(root, "offline")), { env: cleanEnv(cache) });
    outputBase = await bazel.outputBase();
  });

  afterAll(async () => {
    await bazel?.shutdown();
  });

  it("builds every consumer and passes the cc_test in one invocation; bazel run round-trips through the env's zlib", async () => {
    // `//...` as users run it, plus the vendored modules/ aliases (the bzlmod override's BUILD
    // files, here loaded as @conda_bazel's packages): they resolve to the env's packages.
    await bazel.ok("test", ["//...", "@conda_bazel//modules/zlib:zlib", "@conda_bazel//modules/bzip2:bz2"]);
    const run = await bazel.ok("run", ["//zip:roundtrip"]);
    const version = readdirSync(join(prefix, "conda-meta")).find((f) => f.startsWith("zlib-"))!.split("-")[1];
    expect(run.stdout.trim()).toBe(`zlib ${version}: 57 bytes -> 41 -> conda's zlib, through Bazel: conda's zlib, through Bazel`);

    // Loaded from the prefix: the shared library Bazel links is the env's file, through @conda.
    const { stdout: ldd } = await execa("ldd", [join(ws, "bazel-bin", "zip", "roundtrip")]);
    const libz = /libz\.so\.1 => (\S+)/.exec(ldd)![1]!;
    expect(realpathSync(libz)).toBe(realpathSync(join(prefix, "lib", "libz.so.1")));
    // :static links libz.a: the program needs no libz at run time (--as-needed drops libzlib's).
    const { stdout: dynamic } = await execa("readelf", ["-d", join(ws, "bazel-bin", "zip", "roundtrip_static")]);
    expect(dynamic).toMatch(/\(NEEDED\)/);
    expect(dynamic).not.toMatch(/\(NEEDED\).*libz/);
    expect((await execa(join(ws, "bazel-bin", "zip", "roundtrip_static"))).stdout).toContain("conda's zlib, through Bazel");
  });

  it("gives a library written against @zlib//:zlib and @bzip2//:bz2 the env's prebuilt libraries, compiling no zlib or bzip2 source", async () => {
    await bazel.ok("build", ["//zip:which"]);
    const { stdout } = await execa(join(ws, "bazel-bin", "zip", "which"));
    const loaded = Object.fromEntries(stdout.split("\n").map((l) => [l.split(" ")[0], l.split(" ").pop()!]));
    expect(realpathSync(loaded.zlib!)).toBe(realpathSync(join(prefix, "lib", "libz.so.1")));
    expect(realpathSync(loaded.bzip2!)).toBe(realpathSync(join(prefix, "lib", "libbz2.so.1.0")));
    const compiled = (await bazel.ok("aquery", ['mnemonic("CppCompile", deps(//zip:which))', "--output=text"])).stdout;
    const objects = [...compiled.matchAll(/Outputs: \[([^\]]+)\]/g)].map((m) => m[1]!);
    expect(objects).toHaveLength(2);
    for (const o of objects) expect(o).toMatch(/\/bin\/zip\/_objs\/(both|which)\//);
    // No action holds the prefix's path: every file is reached through @conda's links.
    const actions = (await bazel.ok("aquery", ['mnemonic("CppCompile|CppLink", deps(//zip:all))'])).stdout;
    expect(actions).toContain("external/conda/pkgs/zlib/prefix/include");
    expect(actions).not.toContain(prefix);
  });

  it("stops a cross build that depends on a package at analysis, saying the package is for the env's platform only", async () => {
    const build = await bazel.run("build", [`--config=${AARCH64}`, "//zip:roundtrip"]);
    expect(build.exitCode).not.toBe(0);
    expect(build.stderr).toContain("//zip:roundtrip is incompatible");
    expect(build.stderr).toMatch(/@conda\/\/pkgs\/zlib:zlib\s+<-- target platform .*didn't satisfy constraint @conda\/\/pkgs:conda_env_packages_are_for_x86_64-unknown-linux-gnu_only/);
  });

  it("generates package and module files that buildifier formats as they are, lints clean and name no global Bazel 9 removed", async () => {
    const files = [
      ...["pkgs/BUILD.bazel", "pkgs/packages.bzl", "pkgs/zlib/BUILD.bazel", "pkgs/libzlib/BUILD.bazel", "pkgs/bzip2/BUILD.bazel"].map((f) => join(outputBase, "external", "conda", f)),
      join(outputBase, "external", "zlib", "BUILD.bazel"),
      join(outputBase, "external", "bzip2", "BUILD.bazel"),
    ];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const type = file.endsWith(".bzl") ? "bzl" : "build";
      expect(await lintStarlark(text, type, file), file).toEqual([]);
      expect(await formatStarlark(text, type), file).toBe(text);
      expect(unloadedRemovedGlobals(text), file).toEqual([]);
    }
    // Packages without C/C++ content (the compilers, Python-only fillers) have no target.
    expect(readdirSync(join(outputBase, "external", "conda", "pkgs")).sort()).toEqual(["BUILD.bazel", "bzip2", "libgcc", "libzlib", "packages.bzl", "zlib"]);
  });

  it("refuses @bzip2//:bz2 at analysis, saying what to install, when the env has no bzip2", async () => {
    const without = join(root, "env without bzip2");
    cpSync(prefix, without, { recursive: true, verbatimSymlinks: true });
    rmSync(join(without, "conda-meta", readdirSync(join(without, "conda-meta")).find((f) => f.startsWith("bzip2-"))!));
    const build = await bazel.run("build", [`--repo_env=CONDA_BAZEL_PREFIX=${without}`, "@bzip2//:bz2"]);
    expect(build.exitCode).not.toBe(0);
    expect(build.stderr).toContain("@bzip2//:bz2 is the conda package bzip2, which the conda environment does not have (or it has no C/C++ content): install it (conda install bzip2), run `conda-bazel init`, then build again");
  });

  it("fails the fetch with one message naming the package, the file and the fix when a record lists a file the prefix lacks", async () => {
    const broken = join(root, "broken env");
    cpSync(prefix, broken, { recursive: true, verbatimSymlinks: true });
    rmSync(join(broken, "include", "zconf.h"));
    const query = await bazel.run("query", [`--repo_env=CONDA_BAZEL_PREFIX=${broken}`, "@conda//pkgs/..."]);
    expect(query.exitCode).not.toBe(0);
    expect(query.stderr).toContain(`conda package zlib: its record lists include/zconf.h, which is not in the prefix. Fix: reinstall it: conda install -p '${broken}' -c conda-forge --force-reinstall zlib; then build again.`);
  });
});
