// conda's clang_<subdir> on Linux beside gcc_<subdir> (the stand-in prefix's --clang: Debian's
// clang 14 under the conda triplet names, activation scripts made from the gcc templates as
// ctng-compiler-activation makes them): which one a target uses, and what describe and init say.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Environment } from "../../src/environment.js";
import { cleanEnv, cli, expectOneLine, standInPrefix, tempDir } from "../cli/helpers.js";

const HOST = "x86_64-unknown-linux-gnu";
const AARCH64 = "aarch64-unknown-linux-gnu";

describe("gcc and clang in one env", () => {
  const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"], clang: ["linux-64", "linux-aarch64"], go: "none", python: false });
  const cache = tempDir("conda-bazel-cache-");
  const describeJson = async (args: string[] = [], extra: Record<string, string> = {}) => {
    const run = await cli(["describe", "--prefix", prefix, "--json", ...args], cleanEnv(cache, extra));
    expect(run.exitCode, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as Environment;
  };
  const toolchain = (env: Environment, target: string) => env.toolchains.find((t) => t.target === target)!;

  it("uses gcc by default: the CC the activation scripts leave, sourced in conda's order", async () => {
    const env = await describeJson();
    for (const target of [HOST, AARCH64]) {
      expect(toolchain(env, target)).toMatchObject({ family: "gcc", compilerChoice: { by: "activation", others: ["clang"] } });
    }
    expect(toolchain(env, HOST).cc).toBe(join(prefix, "bin", "x86_64-conda-linux-gnu-cc"));
  });

  it("--compiler clang: the clang drivers, what clang reports, and the flags of the clang activation", async () => {
    const gcc = toolchain(await describeJson(), HOST);
    const env = await describeJson(["--compiler", "clang"]);
    const host = toolchain(env, HOST);
    expect(host).toMatchObject({
      family: "clang",
      compilerChoice: { by: "flag", others: ["gcc"] },
      cc: join(prefix, "bin", "x86_64-conda-linux-gnu-clang"),
      cxx: join(prefix, "bin", "x86_64-conda-linux-gnu-clang++"),
      cpp: join(prefix, "bin", "x86_64-conda-linux-gnu-clang-cpp"),
      ar: join(prefix, "bin", "x86_64-conda-linux-gnu-ar"),
      machine: "x86_64-unknown-linux-gnu",
      flagsSource: "activation",
    });
    expect(host.version).toMatch(/^14\./);
    expect(host.builtinIncludeDirectories).toContain("/usr/lib/llvm-14/lib/clang/14.0.6/include");
    // ctng-compiler-activation copies the gcc scripts for clang: the same interactive flags.
    expect(host.cflags).toEqual(gcc.cflags);
    expect(host.ldflags).toEqual(gcc.ldflags);
    expect(toolchain(env, AARCH64)).toMatchObject({ family: "clang", cc: join(prefix, "bin", "aarch64-conda-linux-gnu-clang"), machine: "aarch64-unknown-linux-gnu" });
  });

  it("follows CC of the calling environment, per target", async () => {
    const env = await describeJson([], { CC: "aarch64-conda-linux-gnu-clang" });
    expect(toolchain(env, AARCH64)).toMatchObject({ family: "clang", compilerChoice: { by: "CC", others: ["gcc"] } });
    expect(toolchain(env, HOST)).toMatchObject({ family: "gcc", compilerChoice: { by: "activation" } });
  });

  it("follows the pin init writes for the repository rule, which beats CC", async () => {
    const env = await describeJson([], { CONDA_BAZEL_COMPILERS: `${HOST}=clang`, CC: "x86_64-conda-linux-gnu-cc" });
    expect(toolchain(env, HOST)).toMatchObject({ family: "clang", compilerChoice: { by: "flag" } });
    expect(toolchain(env, AARCH64).family).toBe("gcc");
  });

  it("says in describe's table which compiler each target uses and how to pick the other", async () => {
    const run = await cli(["describe", "--prefix", prefix, "--compiler", "clang"], cleanEnv(cache));
    expect(run.stdout).toContain(`${HOST}: clang, chosen by --compiler (or conda-bazel.yaml's compiler, or init's pin); also installed: gcc (--compiler gcc)`);
  });

  it("refuses a family that is not one, in one line", async () => {
    const run = await cli(["describe", "--prefix", prefix, "--compiler", "msvc"], cleanEnv(cache));
    expect(run.exitCode).toBe(2);
    expect(expectOneLine(run.stderr)).toBe("conda-bazel: --compiler must be gcc or clang, not 'msvc' (pass --compiler gcc or --compiler clang)");
  });

  it("init --compiler clang says so and pins the choice for the repository rule; a second init changes nothing", async () => {
    const ws = tempDir("conda-bazel-ws-");
    writeFileSync(join(ws, "WORKSPACE"), "");
    const init = async () => cli(["init", "--prefix", prefix, "--workspace", ws, "--compiler", "clang"], cleanEnv(cache));
    require0(await init());
    const first = await init();
    const lines = first.stdout.split("\n");
    expect(lines).toContain(`${HOST}: clang, chosen by --compiler (or conda-bazel.yaml's compiler, or init's pin); also installed: gcc (--compiler gcc)`);
    expect(lines).toContain(`${AARCH64}: clang, chosen by --compiler (or conda-bazel.yaml's compiler, or init's pin); also installed: gcc (--compiler gcc)`);
    expect(first.stdout).not.toMatch(/created|updated/);
    expect(readFileSync(join(ws, ".bazelrc.conda"), "utf8")).toContain(`common --repo_env=CONDA_BAZEL_COMPILERS=${HOST}=clang,${AARCH64}=clang\n`);
    // conda-build's compiler('c') then renders clang_linux-64 14.*, not gcc_linux-64 14.*.
    const variants = readFileSync(join(ws, "conda_build_config.yaml"), "utf8");
    expect(variants).toMatch(/^c_compiler: .*\n {2}- clang +# \[linux and x86_64\]\n {2}- clang +# \[linux and aarch64\]$/m);
    expect(variants).toMatch(/^cxx_compiler: .*\n {2}- clangxx +# \[linux and x86_64\]$/m);
  });
});

function require0(run: { exitCode?: number; stderr: string }): void {
  expect(run.exitCode, run.stderr).toBe(0);
}
