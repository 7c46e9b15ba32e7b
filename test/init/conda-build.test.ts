// init and describe with conda-build's two prefixes, without Bazel (test/bazel/conda-build.test.ts
// builds with them): the variables conda-build sets or the explicit flags, the activation's
// CONDA_BUILD=1 branch, a second init that changes nothing, and each bad input refused in one line.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, cli, expectOneLine, standInPrefix, tempDir } from "../cli/helpers.js";
import { tree, workspace } from "./helpers.js";

let buildPrefix: string;
let nativeBuildPrefix: string;
let hostPrefix: string;
let cache: string;

beforeAll(() => {
  buildPrefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"], filler: 0, go: "none" }, "build env");
  nativeBuildPrefix = standInPrefix({ subdirs: ["linux-64"], filler: 0, go: "none" }, "_build_env");
  // A host env with libraries and Python only, as conda-build makes it from `host:` requirements.
  hostPrefix = standInPrefix({ subdirs: [], filler: 0, go: "none" }, "_h_env");
  cache = tempDir();
});

/** What conda-build exports to build.sh (conda_build/environ.py), for a build on linux-64. */
function condaBuildEnv(build: string, host: string, targetPlatform: string, work: string): Record<string, string> {
  return { CONDA_BUILD: "1", BUILD_PREFIX: build, PREFIX: host, SRC_DIR: work, build_platform: "linux-64", target_platform: targetPlatform, CONDA_PREFIX: build };
}

describe("conda-bazel init in conda-build's mode", () => {
  it("reads BUILD_PREFIX and PREFIX, targets target_platform, and a second init changes nothing", async () => {
    const ws = workspace();
    const env = cleanEnv(cache, condaBuildEnv(buildPrefix, hostPrefix, "linux-aarch64", ws));
    const first = await cli(["init", "--workspace", ws], env);
    expect(first.stderr).toBe("");
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(`conda-build mode (conda-build's variables): bazel build targets linux-aarch64 (cross, tools for linux-64); compilers from ${buildPrefix}, host env ${hostPrefix}\n`);
    const local = readFileSync(join(ws, ".bazelrc.conda"), "utf8");
    // The build prefix's name has a space, escaped as a .bazelrc word.
    expect(local).toContain(`common --repo_env=CONDA_BAZEL_PREFIX=${buildPrefix.replace(" ", "\\ ")}\n`);
    expect(local).toContain(`common --repo_env=CONDA_BAZEL_HOST_PREFIX=${hostPrefix}\n`);
    expect(local).toMatch(/common --repo_env=CONDA_BAZEL_HOST_FINGERPRINT=[0-9a-f]{64}\n/);
    expect(local).toContain("build --platforms=@conda//:aarch64-unknown-linux-gnu\nbuild --host_platform=@conda//:build_platform\n");
    expect(readFileSync(join(ws, "WORKSPACE"), "utf8")).toContain('"x86_64-unknown-linux-gnu",\n        "aarch64-unknown-linux-gnu",');
    const before = tree(ws);
    const second = await cli(["init", "--workspace", ws], env);
    expect(second.exitCode).toBe(0);
    expect(tree(ws)).toEqual(before);
  });

  it("takes --build-prefix and --host-prefix outside a build; the host env's platform is the target", async () => {
    const ws = workspace();
    const result = await cli(["init", "--workspace", ws, "--build-prefix", nativeBuildPrefix, "--host-prefix", hostPrefix, "--json"], cleanEnv(cache));
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.condaBuild).toEqual({ hostPrefix, target: "x86_64-unknown-linux-gnu", build: "x86_64-unknown-linux-gnu", from: "flags" });
    expect(readFileSync(join(ws, ".bazelrc.conda"), "utf8")).toContain("build --platforms=@conda//:x86_64-unknown-linux-gnu\n");
  });

  it("a plain --prefix inside a build keeps the one-prefix mode", async () => {
    const ws = workspace();
    const result = await cli(["init", "--workspace", ws, "--prefix", nativeBuildPrefix], cleanEnv(cache, condaBuildEnv(nativeBuildPrefix, hostPrefix, "linux-64", ws)));
    expect(result.exitCode).toBe(0);
    expect(readFileSync(join(ws, ".bazelrc.conda"), "utf8")).not.toContain("CONDA_BAZEL_HOST_PREFIX");
  });

  it.each([
    ["PREFIX unset", [], { CONDA_BUILD: "1", BUILD_PREFIX: "B" }, "conda-bazel: CONDA_BUILD=1 but PREFIX is not set (run conda-bazel init from the recipe's build script"],
    ["--host-prefix alone", ["--host-prefix", "H"], {}, "conda-bazel: --build-prefix is missing (pass --build-prefix and --host-prefix together"],
    ["--prefix with the two", ["--prefix", "B", "--build-prefix", "B", "--host-prefix", "H"], {}, "conda-bazel: --prefix cannot be combined with --build-prefix/--host-prefix"],
    ["an unknown target_platform", [], { CONDA_BUILD: "1", BUILD_PREFIX: "B", PREFIX: "H", target_platform: "linux-s390x" }, "conda-bazel: target_platform=linux-s390x is not a platform conda-bazel builds for"],
    ["--target in a build", ["--target", "linux-64"], { CONDA_BUILD: "1", BUILD_PREFIX: "B", PREFIX: "H" }, "conda-bazel: --target does not apply to a conda-build's two prefixes"],
  ])("refuses %s in one line, exit 2, writing nothing", async (_name, args, vars, message) => {
    const ws = workspace();
    const resolved = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v === "B" ? buildPrefix : v === "H" ? hostPrefix : v]));
    const flags = (args as string[]).map((a) => (a === "B" ? buildPrefix : a === "H" ? hostPrefix : a));
    const result = await cli(["init", "--workspace", ws, ...flags], cleanEnv(cache, resolved));
    expect(result.exitCode).toBe(2);
    expect(expectOneLine(result.stderr)).toContain(message);
    expect(existsSync(join(ws, ".bazelrc.conda"))).toBe(false);
  });

  it("refuses a cross target whose compiler the build prefix lacks, naming the fix", async () => {
    const ws = workspace();
    const result = await cli(["init", "--workspace", ws], cleanEnv(cache, condaBuildEnv(nativeBuildPrefix, hostPrefix, "linux-aarch64", ws)));
    expect(result.exitCode).toBe(2);
    expect(expectOneLine(result.stderr)).toMatch(/^conda-bazel: no compiler for aarch64-unknown-linux-gnu in .*_build_env: .*\(.*gcc_linux-aarch64/);
  });
});

describe("conda-bazel describe --host-prefix", () => {
  it("gives the flags of the activation's CONDA_BUILD=1 branch, naming the host prefix, and describes the host env", async () => {
    const result = await cli(["describe", "--json", "--prefix", buildPrefix, "--host-prefix", hostPrefix], cleanEnv(cache));
    expect(result.exitCode).toBe(0);
    const env = JSON.parse(result.stdout);
    expect(env.host).toEqual(expect.objectContaining({ prefix: hostPrefix, subdir: "linux-64", fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/), python: expect.objectContaining({ interpreter: expect.stringMatching(/\/_h_env\/bin\/python3\.\d+$/) }) }));
    // The host Python is not run (cross, it could not be): what its files say must be what the
    // interpreter itself reports when the same env is described as a plain prefix.
    const asked = JSON.parse((await cli(["describe", "--json", "--prefix", hostPrefix], cleanEnv(cache))).stdout);
    expect(asked.python.extSuffix).toMatch(/^\.cpython-3\d+-x86_64-linux-gnu\.so$/);
    expect(env.host.python).toEqual(asked.python);
    // The library targets are the host env's: the same packages it has described on its own.
    expect(env.host.packages.map((p: { name: string }) => p.name)).toContain("zlib");
    expect(env.host.packages).toEqual(asked.packages);
    const aarch64 = env.toolchains.find((t: { target: string }) => t.target === "aarch64-unknown-linux-gnu");
    expect(aarch64.cflags).toEqual(expect.arrayContaining(["-fno-merge-constants", "-isystem", join(hostPrefix, "include"), "-fdebug-prefix-map=${SRC_DIR}=/usr/local/src/conda/${PKG_NAME}-${PKG_VERSION}"]));
    expect(aarch64.ldflags).toContain(`-L${hostPrefix}/lib`);
    expect(JSON.stringify(aarch64)).not.toContain(join(buildPrefix, "include"));
    // Without a host prefix the same scripts take their interactive branch.
    const plain = JSON.parse((await cli(["describe", "--json", "--prefix", buildPrefix], cleanEnv(cache))).stdout);
    expect(plain.host).toBeUndefined();
    expect(plain.toolchains[0].cflags).toContain(join(buildPrefix, "include"));
    expect(plain.toolchains[0].cflags).not.toContain("-fno-merge-constants");
  });
});
