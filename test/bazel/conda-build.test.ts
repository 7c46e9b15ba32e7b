// conda-bazel inside a conda-build, emulated (conda-build itself cannot run here): the variables
// conda-build sets (CONDA_BUILD, PREFIX, BUILD_PREFIX, SRC_DIR, build_platform, target_platform,
// SUBDIR, PKG_NAME/PKG_VERSION, CONDA_BUILD_STATE), PATH with BUILD_PREFIX/bin first and the work
// dir as cwd; the build script sources the build prefix's activation scripts as
// `conda activate --stack "$BUILD_PREFIX"` does (their CONDA_BUILD=1 branch), then runs exactly
// `conda-bazel init` and a plain `bazel build` (real Bazel 4.2.3, offline). Once natively for
// linux-64, once cross to linux-aarch64 with a host prefix of Debian's real arm64 zlib and Python
// and a build prefix whose native compiler has no activation package, as conda-forge's has.
// Each build makes a cc_binary for the target and runs a tool (an exec-platform cc_binary) in a
// genrule; both report, from the compiler's own macros, the machine they were built for and
// whether conda's -march=nocona reached them.
import { execa } from "execa";
import { chmodSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { qemuArgs } from "../../scripts/stand-in-host-prefix.mjs";
import { formatStarlark, lintStarlark } from "../../src/buildifier.js";
import { BIN, tempDir } from "../cli/helpers.js";
import { offlineRepositories, requireBazel } from "../support/bazel.js";
import { unloadedRemovedGlobals } from "../support/starlark-loads.js";

const HOST_STAND_IN = fileURLToPath(new URL("../../scripts/stand-in-host-prefix.mjs", import.meta.url));

const MACHINE = `static const char *machine(void) {
#if defined(__x86_64__)
  return "x86_64";
#elif defined(__aarch64__)
  return "aarch64";
#else
  return "other";
#endif
}
#ifdef __SSE3__
static const int tuned = 1; /* conda's linux-64 -march=nocona */
#else
static const int tuned = 0;
#endif
`;

const RECIPE: Record<string, string> = {
  WORKSPACE: 'workspace(name = "recipe")\n',
  BUILD: [
    'load("@rules_cc//cc:defs.bzl", "cc_binary")',
    "",
    'cc_binary(name = "gen_tool", srcs = ["gen_tool.c"])',
    "",
    'genrule(name = "machine_h", outs = ["machine.h"], tools = [":gen_tool"], cmd = "$(location :gen_tool) > $@")',
    "",
    'cc_binary(name = "hello", srcs = ["hello.c", "machine.h"])',
    "",
  ].join("\n"),
  "gen_tool.c": `#include <stdio.h>\n${MACHINE}int main(void) { printf("#define TOOL \\"tool %s sse3=%d\\"\\n", machine(), tuned); return 0; }\n`,
  "hello.c": `#include <stdio.h>\n#include "machine.h"\n${MACHINE}int main(void) { printf("%s; target %s sse3=%d\\n", TOOL, machine(), tuned); return 0; }\n`,
  // What the recipe's build.sh says, after conda-build's activation.
  "build.sh": "set -euo pipefail\nconda-bazel init\nbazel build --subcommands //:hello //:machine_h\n",
};

/** Every path under `dir` with its size and mtime (links not followed). */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .sort()
    .map((p) => {
      const s = statSync(join(dir, p), { throwIfNoEntry: false });
      return `${p} ${s?.size} ${s?.mtimeMs}`;
    });
}

/** A cross build env as conda-forge resolves `compiler('c')`: gcc_linux-aarch64 pulls in the
 * native gcc_impl_linux-64 (its CC_FOR_BUILD) but no linux-64 activation package, so the build
 * machine's compiler has conda's default flags (linux-64's include -march=nocona). */
function withoutNativeActivation(prefix: string): void {
  for (const pkg of ["binutils", "gcc", "gxx"]) {
    rmSync(join(prefix, "etc", "conda", "activate.d", `activate-${pkg}_linux-64.sh`));
    for (const record of readdirSync(join(prefix, "conda-meta")).filter((f) => f.startsWith(`${pkg}_linux-64-`))) rmSync(join(prefix, "conda-meta", record));
  }
}

async function elfMachine(path: string): Promise<string> {
  const { stdout } = await execa("readelf", ["-h", path]);
  return /Machine:\s+(.+)/.exec(stdout)![1]!.trim();
}

/** The compile and link command lines of `bazel build --subcommands`. */
function subcommands(stderr: string): string[] {
  return stderr.split(/^SUBCOMMAND: /m).slice(1);
}

describe("conda-bazel init in an emulated conda-build, real Bazel 4.2.3", () => {
  requireBazel();
  const root = tempDir("conda-bazel-cbuild-");
  const tools = join(root, "tools");
  const offline = offlineRepositories(join(root, "offline"));

  interface Build {
    readonly work: string;
    readonly buildPrefix: string;
    readonly hostPrefix: string;
    readonly result: { exitCode: number; stdout: string; stderr: string };
    readonly hostBefore: string[];
  }

  /** One conda-build: prefixes, the work dir with the recipe's sources, the build script run. */
  async function condaBuild(name: string, targetPlatform: string, hostPrefix: string, buildSubdirs: string[]): Promise<Build> {
    const buildPrefix = join(root, name, "_build_env");
    buildStandInPrefix(buildPrefix, { subdirs: buildSubdirs, filler: 0, go: "none" });
    if (targetPlatform !== "linux-64") withoutNativeActivation(buildPrefix);
    const work = join(root, name, "work");
    mkdirSync(work, { recursive: true });
    for (const [path, text] of Object.entries(RECIPE)) writeFileSync(join(work, path), text);
    // The recipe's own .bazelrc: this machine's Bazel is offline (test setup, not conda-bazel's).
    writeFileSync(join(work, ".bazelrc"), [`startup --output_user_root=${join(root, name, "bazel")}`, ...offline.map((f) => `build ${f}`), ""].join("\n"));
    const hostBefore = listing(hostPrefix);
    const cross = targetPlatform !== "linux-64";
    const env: Record<string, string> = {
      HOME: process.env.HOME!,
      // conda activate "$PREFIX"; conda activate --stack "$BUILD_PREFIX"
      PATH: [join(buildPrefix, "bin"), join(hostPrefix, "bin"), tools, "/usr/bin", "/bin"].join(":"),
      CONDA_PREFIX: buildPrefix,
      CONDA_DEFAULT_ENV: hostPrefix,
      CONDA_BUILD: "1",
      CONDA_BUILD_STATE: "BUILD",
      PREFIX: hostPrefix,
      BUILD_PREFIX: buildPrefix,
      SRC_DIR: work,
      RECIPE_DIR: join(root, name, "recipe"),
      PKG_NAME: "recipe-bazel",
      PKG_VERSION: "1.0",
      SUBDIR: targetPlatform,
      build_platform: "linux-64",
      target_platform: targetPlatform,
      ...(cross ? { CONDA_BUILD_CROSS_COMPILATION: "1" } : {}),
      CONDA_BAZEL_CACHE_DIR: join(root, "cache"),
    };
    // conda-build's wrapper: activation (CONDA_BUILD=1 branch) in the shell that then runs build.sh.
    const script = `for s in "$BUILD_PREFIX"/etc/conda/activate.d/*.sh; do . "$s"; done\n. ./build.sh\n`;
    const result = await execa("bash", ["--noprofile", "--norc", "-c", script], { cwd: work, env, extendEnv: false, reject: false });
    await execa("bazel", ["shutdown"], { cwd: work, env, extendEnv: false, reject: false });
    return { work, buildPrefix, hostPrefix, result: { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr }, hostBefore };
  }

  let native: Build;
  let cross: Build;

  beforeAll(async () => {
    mkdirSync(tools);
    writeFileSync(join(tools, "conda-bazel"), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
    chmodSync(join(tools, "conda-bazel"), 0o755);
    // A linux-64 host env: the stand-in's zlib and Python, no compilers (those are build requirements).
    const nativeHost = (buildStandInPrefix(join(root, "native", "_h_env"), { subdirs: [], filler: 0, go: "none" }) as { prefix: string }).prefix;
    // In a child process: apt-cache reads every package list, which would stall this worker.
    const crossHost = JSON.parse((await execa(process.execPath, [HOST_STAND_IN, join(root, "cross", "_h_env")])).stdout).prefix as string;
    // One after the other: two Bazel servers at once would starve the machine.
    native = await condaBuild("native", "linux-64", nativeHost, ["linux-64"]);
    cross = await condaBuild("cross", "linux-aarch64", crossHost, ["linux-64", "linux-aarch64"]);
  }, 900_000);

  function succeeded(build: Build) {
    if (build.result.exitCode !== 0) throw new Error(`build.sh failed (${build.result.exitCode}):\n${build.result.stdout}\n${build.result.stderr.split("\n").slice(-40).join("\n")}`);
  }

  it("native linux-64: the target binary has conda's -march, the tool the exec toolchain's flags", async () => {
    succeeded(native);
    expect(native.result.stdout).toContain("conda-build mode (conda-build's variables): bazel build targets linux-64 (native, tools for linux-64)");
    const hello = join(native.work, "bazel-bin", "hello");
    expect(await elfMachine(hello)).toBe("Advanced Micro Devices X86-64");
    const { stdout } = await execa(hello);
    expect(stdout).toBe("tool x86_64 sse3=0; target x86_64 sse3=1");
  });

  it("cross to linux-aarch64: an aarch64 binary that runs under qemu, a tool that ran on the build machine", async () => {
    succeeded(cross);
    expect(cross.result.stdout).toContain("bazel build targets linux-aarch64 (cross, tools for linux-64)");
    const hello = join(cross.work, "bazel-bin", "hello");
    expect(await elfMachine(hello)).toBe("AArch64");
    const { stdout } = await execa("qemu-aarch64", [...qemuArgs(cross.hostPrefix), hello]);
    expect(stdout).toBe("tool x86_64 sse3=0; target aarch64 sse3=0");
  });

  it(".bazelrc.conda pins both prefixes and makes a plain build target target_platform; nothing machine-specific is committed", () => {
    for (const [build, triplet] of [
      [native, "x86_64-unknown-linux-gnu"],
      [cross, "aarch64-unknown-linux-gnu"],
    ] as const) {
      succeeded(build);
      const local = readFileSync(join(build.work, ".bazelrc.conda"), "utf8");
      expect(local).toContain(`common --repo_env=CONDA_BAZEL_PREFIX=${build.buildPrefix}\n`);
      expect(local).toContain(`common --repo_env=CONDA_BAZEL_HOST_PREFIX=${build.hostPrefix}\n`);
      expect(local).toContain(`build --platforms=@conda//:${triplet}\nbuild --host_platform=@conda//:build_platform\n`);
      for (const committed of [".bazelrc", "WORKSPACE"]) {
        const text = readFileSync(join(build.work, committed), "utf8");
        expect(text).not.toContain(build.buildPrefix);
        expect(text).not.toContain(build.hostPrefix);
      }
    }
  });

  it("no compile or link command names a prefix or the work dir (conda-build's -isystem $PREFIX/include, -fdebug-prefix-map are dropped)", () => {
    for (const build of [native, cross]) {
      succeeded(build);
      const commands = subcommands(build.result.stderr);
      expect(commands.length).toBeGreaterThanOrEqual(4);
      for (const command of commands) {
        expect(command).not.toContain(build.buildPrefix);
        expect(command).not.toContain(build.hostPrefix);
        expect(command).not.toContain("SRC_DIR");
      }
      // The activation's CONDA_BUILD=1 branch is what the flags came from.
      expect(commands.some((c) => c.includes("-fno-merge-constants"))).toBe(true);
    }
  });

  it("writes @conda files in conda-build's mode that buildifier formats as they are, lint clean, with the host prefix linked in", async () => {
    succeeded(cross);
    const outputRoot = join(root, "cross", "bazel");
    const base = readdirSync(outputRoot).find((d) => statSync(join(outputRoot, d, "external", "conda"), { throwIfNoEntry: false })?.isDirectory());
    const repo = join(outputRoot, base!, "external", "conda");
    expect(realpathSync(join(repo, "host", "prefix"))).toBe(realpathSync(cross.hostPrefix));
    expect(readFileSync(join(repo, "BUILD.bazel"), "utf8")).toContain('name = "build_platform"');
    expect(readFileSync(join(repo, "environment.bzl"), "utf8")).toContain('HOST_SUBDIR = "linux-aarch64"\nHOST_PYTHON_VERSION = "3.11.2"\n');
    for (const file of ["BUILD.bazel", "environment.bzl", "host/BUILD.bazel", "build_platform/BUILD.bazel", "aarch64-unknown-linux-gnu/BUILD.bazel"]) {
      const text = readFileSync(join(repo, file), "utf8");
      const type = file.endsWith(".bzl") ? "bzl" : "build";
      expect(await lintStarlark(text, type, file), file).toEqual([]);
      expect(await formatStarlark(text, type), file).toBe(text);
      expect(unloadedRemovedGlobals(text), file).toEqual([]);
    }
    // The exec toolchain: the build machine's compiler without the flags that tune for one CPU.
    expect(readFileSync(join(repo, "build_platform", "BUILD.bazel"), "utf8")).not.toMatch(/-march|-mtune|-mcpu/);
  });

  it("nothing is written into the host prefix ($PREFIX), whose contents become the package", () => {
    for (const build of [native, cross]) {
      succeeded(build);
      expect(listing(build.hostPrefix)).toEqual(build.hostBefore);
    }
  });
});
