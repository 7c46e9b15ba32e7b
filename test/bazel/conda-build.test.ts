// conda-bazel inside a conda-build, emulated (conda-build itself cannot run here): the variables
// conda-build sets (CONDA_BUILD, PREFIX, BUILD_PREFIX, SRC_DIR, build_platform, target_platform,
// SUBDIR, PKG_NAME/PKG_VERSION, CONDA_BUILD_STATE), PATH with BUILD_PREFIX/bin first and the work
// dir as cwd; the build script sources the build prefix's activation scripts as
// `conda activate --stack "$BUILD_PREFIX"` does (their CONDA_BUILD=1 branch), then runs exactly
// `conda-bazel init` and a plain `bazel build` (real Bazel 4.2.3, offline). Natively for linux-64
// with gcc, then cross to linux-aarch64 with gcc and with clang, with a host prefix of Debian's
// real arm64 zlib and Python and a build prefix whose native compiler has no activation package,
// as conda-forge's has.
// build.sh is examples/recipe-bazel's, run on that example's sources: a C++ library on the host
// env's zlib, a Python extension on it (conda_py_extension), and machine.h written by a tool (an
// exec-platform cc_binary) in a genrule; they report, from the compiler's own macros, the machine
// each was built for and whether conda's -march=nocona reached it. build.sh installs them into
// $PREFIX and runs `conda-bazel check` on them.
import { execa } from "execa";
import { chmodSync, cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { qemuArgs } from "../../scripts/stand-in-host-prefix.mjs";
import { BIN, tempDir } from "../cli/helpers.js";
import { endBazelServers, leanJvmFlags, offlineRepositories, requireBazel } from "../support/bazel.js";
import { expectCleanGeneratedStarlark } from "../support/generated-starlark.js";
import { filesUnder } from "../support/tree.js";

const HOST_STAND_IN = fileURLToPath(new URL("../../scripts/stand-in-host-prefix.mjs", import.meta.url));

const EXAMPLE = fileURLToPath(new URL("../../examples/recipe-bazel", import.meta.url));
/** What build.sh installs into $PREFIX, relative to it (EXT_SUFFIX filled in). */
const installed = (sitePackages: string, ext: string) => ["include/greet.h", "lib/libgreet.so", `${sitePackages}/${ext}`];

/** Every file under `dir` with its size and mtime (links not followed). Not directories, whose
 * mtimes an install changes, nor Python's bytecode caches, which any run of the host Python
 * (init asks it for EXT_SUFFIX) may refresh. */
function listing(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of filesUnder(dir, (d) => /(^|\/)__pycache__$/.test(d))) {
    const s = lstatSync(join(dir, p));
    files.set(p, `${s.size} ${s.mtimeMs}`);
  }
  return files;
}

/** lib/python3.X/site-packages of a prefix's Python, relative to the prefix. */
function sitePackages(prefix: string): string {
  return `lib/${readdirSync(join(prefix, "lib")).find((d) => /^python3\.\d+$/.test(d))}/site-packages`;
}

/** The activation packages `<pkg>_<subdir>` left out of a build env (scripts and records), their compilers kept. */
function withoutActivation(prefix: string, subdir: string, pkgs: readonly string[]): void {
  for (const pkg of pkgs) {
    rmSync(join(prefix, "etc", "conda", "activate.d", `activate-${pkg}_${subdir}.sh`));
    for (const record of readdirSync(join(prefix, "conda-meta")).filter((f) => f.startsWith(`${pkg}_${subdir}-`))) rmSync(join(prefix, "conda-meta", record));
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
    readonly hostBefore: Map<string, string>;
    readonly env: Record<string, string>;
    /** The extension module's file name, greet_ext<EXT_SUFFIX>. */
    readonly ext: string;
  }

  /** One conda-build: prefixes, the work dir with the recipe's sources, the build script run. */
  async function condaBuild(name: string, targetPlatform: string, hostPrefix: string, buildSubdirs: string[], compiler: "gcc" | "clang" = "gcc"): Promise<Build> {
    const buildPrefix = join(root, name, "_build_env");
    buildStandInPrefix(buildPrefix, { subdirs: buildSubdirs, filler: 0, go: "none", ...(compiler === "clang" ? { clang: buildSubdirs } : {}) });
    // A cross build env as conda-forge resolves `compiler('c')`: gcc_linux-aarch64 pulls in the
    // native gcc_impl_linux-64 (its CC_FOR_BUILD) but no linux-64 activation package, so the
    // build machine's compiler has conda's default flags (linux-64's include -march=nocona).
    if (targetPlatform !== "linux-64") withoutActivation(buildPrefix, "linux-64", ["binutils", "gcc", "gxx", ...(compiler === "clang" ? ["clang", "clangxx"] : [])]);
    // With c_compiler/cxx_compiler clang the target's activation is clang's alone (the
    // stand-in installs gcc for every subdir; its compilers stay, as gcc_impl does beside clang).
    if (compiler === "clang") withoutActivation(buildPrefix, targetPlatform, ["gcc", "gxx"]);
    const work = join(root, name, "work");
    const recipe = join(root, name, "recipe");
    // conda-build's layout: the recipe dir, and the work dir holding the source (recipe.yaml's `path: src`).
    cpSync(EXAMPLE, recipe, { recursive: true });
    cpSync(join(EXAMPLE, "src"), work, { recursive: true });
    // The recipe's own .bazelrc: this machine's Bazel is offline (test setup, not conda-bazel's);
    // --subcommands shows the compile and link command lines.
    writeFileSync(join(work, ".bazelrc"), [`startup --output_user_root=${join(root, name, "bazel")}`, ...leanJvmFlags.map((f) => `startup ${f}`), ...offline.map((f) => `build ${f}`), "build --subcommands", ""].join("\n"));
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
      RECIPE_DIR: recipe,
      // conda-build sets it when python is a host requirement.
      SP_DIR: join(hostPrefix, sitePackages(hostPrefix)),
      PKG_NAME: "recipe-bazel",
      PKG_VERSION: "1.0",
      SUBDIR: targetPlatform,
      build_platform: "linux-64",
      target_platform: targetPlatform,
      ...(cross ? { CONDA_BUILD_CROSS_COMPILATION: "1" } : {}),
      CONDA_BAZEL_CACHE_DIR: join(root, "cache"),
    };
    // conda-build's wrapper: activation (CONDA_BUILD=1 branch) in the shell that then runs build.sh.
    const script = `for s in "$BUILD_PREFIX"/etc/conda/activate.d/*.sh; do . "$s"; done\n. "$RECIPE_DIR/build.sh"\n`;
    const result = await execa("bash", ["--noprofile", "--norc", "-c", script], { cwd: work, env, extendEnv: false, reject: false });
    await endBazelServers(join(root, name, "bazel"));
    const ext = readdirSync(join(hostPrefix, sitePackages(hostPrefix))).find((f) => f.startsWith("greet_ext.")) ?? "";
    return { work, buildPrefix, hostPrefix, result: { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr }, hostBefore, env, ext };
  }

  let native: Build;
  let cross: Build;
  let clang: Build;

  beforeAll(async () => {
    mkdirSync(tools);
    writeFileSync(join(tools, "conda-bazel"), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
    chmodSync(join(tools, "conda-bazel"), 0o755);
    // A linux-64 host env: the stand-in's zlib and Python, no compilers (those are build requirements).
    const nativeHost = (buildStandInPrefix(join(root, "native", "_h_env"), { subdirs: [], filler: 0, go: "none" }) as { prefix: string }).prefix;
    // In a child process: apt-cache reads every package list, which would stall this worker.
    const hostStandIn = async (name: string) => JSON.parse((await execa(process.execPath, [HOST_STAND_IN, join(root, name, "_h_env")])).stdout).prefix as string;
    const [crossHost, clangHost] = [await hostStandIn("cross"), await hostStandIn("clang")];
    // One after the other: two Bazel servers at once would starve the machine.
    native = await condaBuild("native", "linux-64", nativeHost, ["linux-64"]);
    cross = await condaBuild("cross", "linux-aarch64", crossHost, ["linux-64", "linux-aarch64"]);
    clang = await condaBuild("clang", "linux-aarch64", clangHost, ["linux-64", "linux-aarch64"], "clang");
  }, 900_000);

  /** Each build with the target triplet it built for. */
  const builds = () =>
    [
      [native, "x86_64-unknown-linux-gnu"],
      [cross, "aarch64-unknown-linux-gnu"],
      [clang, "aarch64-unknown-linux-gnu"],
    ] as const;

  function succeeded(build: Build) {
    if (build.result.exitCode !== 0) throw new Error(`build.sh failed (${build.result.exitCode}):\n${build.result.stdout}\n${build.result.stderr.split("\n").slice(-40).join("\n")}`);
  }

  /** What the installed extension reports in the host env's Python (run by `run`): where it was built, zlib round trip, the zlib loaded. */
  async function useExtension(build: Build, run: (python: string, args: string[]) => Promise<{ stdout: string }>): Promise<string[]> {
    const code = 'import greet_ext; print(greet_ext.where()); print(greet_ext.roundtrip(b"conda-bazel " * 20).decode()[:24]); print(greet_ext.zlib_version())';
    return (await run(join(build.hostPrefix, "bin", "python3"), ["-c", code])).stdout.split("\n");
  }

  const zlibVersion = (prefix: string) => readdirSync(join(prefix, "conda-meta")).find((f) => f.startsWith("zlib-"))!.split("-")[1];

  it("native linux-64: the extension imports in the host Python and works through the env's zlib; the library has conda's -march, the tool the exec toolchain's flags", async () => {
    succeeded(native);
    expect(native.result.stdout).toContain("conda-build mode (conda-build's variables): bazel build targets linux-64 (native, tools for linux-64)");
    expect(native.ext).toMatch(/^greet_ext\.cpython-311-x86_64-linux-gnu\.so$/);
    for (const file of ["lib/libgreet.so", `${sitePackages(native.hostPrefix)}/${native.ext}`]) expect(await elfMachine(join(native.hostPrefix, file)), file).toBe("Advanced Micro Devices X86-64");
    // conda-build would give the installed files an $ORIGIN/../lib RPATH; here the loader is told.
    const lines = await useExtension(native, (python, args) => execa(python, args, { env: { LD_LIBRARY_PATH: join(native.hostPrefix, "lib"), PYTHONDONTWRITEBYTECODE: "1" }, extendEnv: false }));
    expect(lines).toEqual(["tool x86_64 sse3=0; target x86_64 sse3=1", "conda-bazel conda-bazel ", zlibVersion(native.hostPrefix)]);
  });

  it("cross to linux-aarch64, with gcc and with clang: the extension imports in the aarch64 host Python under qemu and works through the host env's zlib; the tool ran on the build machine", async () => {
    for (const build of [cross, clang]) {
      succeeded(build);
      expect(build.result.stdout).toContain("bazel build targets linux-aarch64 (cross, tools for linux-64)");
      expect(build.ext).toBe("greet_ext.cpython-311-aarch64-linux-gnu.so");
      for (const file of ["lib/libgreet.so", `${sitePackages(build.hostPrefix)}/${build.ext}`]) expect(await elfMachine(join(build.hostPrefix, file)), file).toBe("AArch64");
      // Linked with the host env's libz (the only aarch64 libz qemu can load here is $PREFIX/lib's).
      expect((await execa("readelf", ["-d", join(build.hostPrefix, sitePackages(build.hostPrefix), build.ext)])).stdout).toMatch(/\(NEEDED\).*\[libz\.so\.1\]/);
      const lines = await useExtension(build, (python, args) => execa("qemu-aarch64", [...qemuArgs(build.hostPrefix), "-E", "PYTHONDONTWRITEBYTECODE=1", python, ...args], { extendEnv: false }));
      expect(lines).toEqual(["tool x86_64 sse3=0; target aarch64 sse3=0", "conda-bazel conda-bazel ", zlibVersion(build.hostPrefix)]);
    }
  });

  it("clang: the library and the extension are compiled and linked by conda's clang for aarch64, the tool by the build machine's clang, as the activation chose", () => {
    succeeded(clang);
    expect(clang.result.stdout).toMatch(/aarch64-unknown-linux-gnu: clang, chosen by CC/);
    const commands = subcommands(clang.result.stderr);
    const driver = (c: string) => /external\/conda\/[\w-]+\/prefix\/bin\/([\w+.-]+) /.exec(c)?.[1];
    // Compiles and links of the library and the extension (archiving is binutils' ar).
    const target = commands.filter((c) => /Compiling (greet|greet_ext)\.cc|Linking (libgreet|greet_ext)\.so/.test(c.split("\n")[0]!));
    expect(target.length).toBe(4);
    for (const c of target) expect(driver(c)).toMatch(/^aarch64-conda-linux-gnu-clang(\+\+)?$/);
    // The tools' exec toolchain: the build machine's clang, which the activation's CC_FOR_BUILD
    // names, though the build env also has the native gcc and no linux-64 activation package.
    const tool = commands.filter((c) => /Compiling gen_tool\.c/.test(c.split("\n")[0]!));
    expect(tool.map(driver)).toEqual(["x86_64-conda-linux-gnu-clang"]);
  });

  it("build.sh's `conda-bazel check` passes the installed files against target_platform and the build prefix's sysroot", () => {
    for (const [build, triplet] of builds()) {
      succeeded(build);
      expect(build.result.stdout).toContain(`2 files checked for ${triplet}, glibc <= 2.36: no findings`);
    }
  });

  it("`conda-bazel check` in the build's environment fails, one line each, on a planted x86_64 file, a build-path RUNPATH and a newer glibc than the sysroot's", async () => {
    succeeded(native);
    succeeded(cross);
    const planted = join(root, "planted");
    mkdirSync(planted);
    const check = (build: Build, file: string) => execa(process.execPath, [BIN, "check", "--target", build.env.target_platform!, "--prefix", build.buildPrefix, file], { cwd: build.work, env: build.env, extendEnv: false, reject: false });
    const findings = (stdout: string) => stdout.trimEnd().split("\n").slice(0, -1);

    // The linux-64 build's library in the aarch64 package.
    const x86 = join(planted, "libgreet-x86_64.so");
    cpSync(join(native.hostPrefix, "lib", "libgreet.so"), x86);
    const wrong = await check(cross, x86);
    expect(wrong.exitCode).toBe(1);
    expect(findings(wrong.stdout)).toEqual([
      `${x86}: is ELF 64-bit code for x86_64-unknown-linux-gnu, not for aarch64-unknown-linux-gnu (fix: build it with the aarch64-unknown-linux-gnu compiler (aarch64-conda-linux-gnu-cc); a tool run only at build time does not belong in the package)`,
    ]);

    // A library linked with -Wl,-rpath,$BUILD_PREFIX/lib, as a build that takes LDFLAGS' rpath at face value makes.
    writeFileSync(join(planted, "lib.c"), "int answer(void) { return 42; }\n");
    const rpath = join(planted, "librpath.so");
    await execa("aarch64-linux-gnu-gcc", ["-shared", "-fPIC", join(planted, "lib.c"), "-o", rpath, `-Wl,-rpath,${cross.buildPrefix}/lib`]);
    const runpath = await check(cross, rpath);
    expect(runpath.exitCode).toBe(1);
    expect(findings(runpath.stdout)).toEqual([
      `${rpath}: RUNPATH entry '${cross.buildPrefix}/lib' is in BUILD_PREFIX ${cross.buildPrefix}, a build path that does not exist where the package is installed (fix: use $ORIGIN-relative paths or the install prefix in -Wl,-rpath)`,
    ]);

    // A program linked against this machine's glibc 2.36 (__libc_start_main@GLIBC_2.34), in a
    // build whose sysroot is conda-forge's default c_stdlib_version 2.17: the stand-in's sysroot
    // record is rewritten to say so (its libc stays Debian's).
    writeFileSync(join(planted, "main.c"), "int main(void) { return 0; }\n");
    const program = join(planted, "program");
    await execa("gcc", [join(planted, "main.c"), "-o", program]);
    const meta = join(native.buildPrefix, "conda-meta");
    const sysroot = readdirSync(meta).find((f) => f.startsWith("sysroot_linux-64-2.36-"))!;
    renameSync(join(meta, sysroot), join(meta, sysroot.replace("-2.36-", "-2.17-")));
    const glibc = await check(native, program);
    expect(glibc.exitCode).toBe(1);
    expect(findings(glibc.stdout)).toEqual([
      `${program}: needs GLIBC_2.34 (__libc_start_main@GLIBC_2.34), newer than the sysroot's glibc 2.17 (c_stdlib_version) (fix: link it with x86_64-conda-linux-gnu-cc against the conda sysroot (sysroot_linux-64 2.17), not the build machine's libc, or raise c_stdlib_version to 2.34)`,
    ]);
  });

  it("recipe.yaml builds src/ with build.sh against a host env of python and zlib, as the emulated builds had it", () => {
    const recipe = parse(readFileSync(join(EXAMPLE, "recipe.yaml"), "utf8")) as { source: { path: string }; build: { script: string }; requirements: { host: string[] } };
    expect(recipe.source.path).toBe("src");
    expect(recipe.build.script).toBe("build.sh");
    expect([...recipe.requirements.host].sort()).toEqual(["python", "zlib"]);
  });

  it(".bazelrc.conda pins both prefixes and makes a plain build target target_platform; nothing machine-specific is committed", () => {
    for (const [build, triplet] of builds()) {
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
    for (const build of [native, cross, clang]) {
      succeeded(build);
      const commands = subcommands(build.result.stderr);
      expect(commands.length).toBeGreaterThanOrEqual(4);
      for (const command of commands) {
        expect(command).not.toContain(build.buildPrefix);
        expect(command).not.toContain(build.hostPrefix);
        expect(command).not.toContain("SRC_DIR");
      }
      // The activation's CONDA_BUILD=1 branch is what gcc's flags came from (clang's has no -fno-merge-constants).
      expect(commands.some((c) => c.includes("-fno-merge-constants"))).toBe(build !== clang);
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
    const files = ["BUILD.bazel", "environment.bzl", "host/BUILD.bazel", "build_platform/BUILD.bazel", "aarch64-unknown-linux-gnu/BUILD.bazel"];
    await expectCleanGeneratedStarlark(repo, files.map((file) => join(repo, file)));
    // The exec toolchain: the build machine's compiler without the flags that tune for one CPU.
    expect(readFileSync(join(repo, "build_platform", "BUILD.bazel"), "utf8")).not.toMatch(/-march|-mtune|-mcpu/);
  });

  it("the host prefix ($PREFIX), whose new files become the package, gains only what build.sh installed", () => {
    for (const build of [native, cross, clang]) {
      succeeded(build);
      const after = listing(build.hostPrefix);
      const added = installed(sitePackages(build.hostPrefix), build.ext);
      expect([...after.keys()].filter((p) => !build.hostBefore.has(p)).sort()).toEqual(added);
      for (const p of added) after.delete(p);
      expect(after).toEqual(build.hostBefore);
    }
  });
});
