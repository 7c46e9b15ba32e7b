// conda-bazel init in a real Bazel 4.2.3 workspace: cross builds that run under qemu, the host
// build on the conda compiler, a py_binary on the conda interpreter, Python extension modules
// (the example monorepo's pyext/) imported by a py_test on it, a change to the env, an
// init that changes nothing, and a second checkout + prefix at other paths (one with spaces,
// quotes, `$` and a backslash) that takes every compile and link from the first one's disk cache.
// The env's libraries as Bazel deps too: `@conda//pkgs/zlib` compresses and decompresses in a
// cc_binary (bazel run) and a cc_test, `:static` links libz.a, a library written against the Bazel
// Central Registry's `@zlib//:zlib` and `@bzip2//:bz2` gets the env's prebuilt libraries (no zlib
// or bzip2 source compiled, both loaded from the prefix), a cross build depending on a package
// stops at analysis naming why, a module whose package the env lacks says what to install, and a
// record promising a file the prefix lacks stops the fetch with one message. Last, init
// --compiler clang turns the toolchains to conda's clang (the prefix has it beside gcc): a host
// build that runs and an aarch64 one that runs under qemu, both compiled and linked by the clang
// drivers.
// The Starlark is the one for Bazel 7.2 to 9, loading rules_cc and rules_python, here from the
// offline stand-ins (test/support/offline-repositories). The bzlmod extension's implementation
// runs too, called with a stand-in module_ctx (Bazel 4.2.3 has no module extensions), and must
// declare the same @conda as the WORKSPACE macro. One workspace and one server per checkout keep
// the Bazel starts few: the packages' and clang's tests share the first checkout's, after its builds.
import { execa } from "execa";
import { appendFileSync, cpSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";
import { cleanEnv, cli, ROOT, tempDir } from "../cli/helpers.js";
import { Bazel, offlineRepositories, processCounts, requireBazel } from "../support/bazel.js";
import { expectCleanGeneratedStarlark } from "../support/generated-starlark.js";
import { filesUnder } from "../support/tree.js";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { writeWorkspace } from "../support/bazel-offline.mjs";

const AARCH64 = "aarch64-unknown-linux-gnu";
const PPC64LE = "powerpc64le-unknown-linux-gnu";
const HOST = "x86_64-unknown-linux-gnu";
// The subdirs whose conda clang the prefix has (the stand-in's Debian clang 14 under the conda names).
const CLANG_SUBDIRS = ["linux-64", "linux-aarch64"];
// The example monorepo's extension modules and what uses them: its py_test, py_binary, and a
// cc_test embedding the interpreter; for the env's own platform only.
const PYEXT = "//pyext:all";
// The workspace file and vendored directory are not the defaults, so that the builds prove
// init honours both: Bazel reads WORKSPACE.bazel, and loads @conda_bazel from init.starlarkDirectory.
const WORKSPACE_FILE = "WORKSPACE.bazel";
const VENDORED = "tools/conda_bazel";

// What Bazel 7.2+ does for `conda.environment(name = "conda_ext", targets = [...])` in the root
// MODULE.bazel, minus module resolution: the extension's implementation called with the tags.
const EXTENSION_EMULATION = `"""Calls the conda extension's implementation as Bazel would for one root-module tag."""

load("@conda_bazel//private:extension.bzl", "conda_extension_impl")

def conda_via_extension(name, targets):
    tag = struct(name = name, targets = targets)
    root = struct(name = "demo", is_root = True, tags = struct(environment = [tag]))
    conda_extension_impl(struct(modules = [root]))
`;

/** Every BUILD file and .bzl file of a fetched repository, by path inside it: not those of the
 * prefix and GOROOT it links to. */
function repositoryFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of filesUnder(dir, (d) => d.startsWith("go/"))) {
    if (/(^|\/)(BUILD\.bazel|[^/]*\.bzl)$/.test(entry)) out[entry] = readFileSync(join(dir, entry), "utf8");
  }
  return out;
}

/** The packages the standard-library action of `bazel aquery` output compiles: the arguments
 * after go list's empty template, one per line. */
function stdlibPackages(aquery: string): string[] {
  const command = /Command Line: \(exec ([\s\S]*?)\)\n/.exec(aquery)![1]!;
  const args = command.split(/ \\\n\s*/).map((a) => a.trim().replace(/^'(.*)'$/, "$1"));
  return args.slice(args.findIndex((a) => a.startsWith("-f={{")) + 1);
}

async function init(workspace: string, prefix: string, cache: string, extra: string[] = []) {
  const result = await cli(["init", "--prefix", prefix, "--workspace", workspace, ...extra], cleanEnv(cache));
  if (result.exitCode !== 0) throw new Error(`init failed: ${result.stderr}`);
  return result;
}

async function elfMachine(path: string): Promise<string> {
  const { stdout } = await execa("readelf", ["-h", path]);
  return /Machine:\s+(.+)/.exec(stdout)![1]!.trim();
}

function snapshot(dir: string, paths: readonly string[]) {
  return paths.map((p) => ({ p, bytes: readFileSync(join(dir, p), "utf8"), mtime: statSync(join(dir, p)).mtimeMs }));
}

describe("conda-bazel init with real Bazel 4.2.3", () => {
  requireBazel();
  const root = tempDir("conda-bazel-bazel-");
  const cache = join(root, "probe-cache");
  const offline = offlineRepositories(join(root, "offline"));
  const diskCache = join(root, "disk-cache");
  const prefix = join(root, "env1");
  const ws = join(root, "ws1");
  let bazel: Bazel;
  let otherBazel: Bazel | undefined;

  beforeAll(async () => {
    // With conda's clang beside gcc for both, which init leaves alone unless --compiler clang.
    buildStandInPrefix(prefix, { subdirs: ["linux-64", "linux-aarch64"], clang: CLANG_SUBDIRS, filler: 2 });
    writeWorkspace(ws);
    cpSync(join(ROOT, "examples", "monorepo", "pyext"), join(ws, "pyext"), { recursive: true });
    // Consumers of the env's zlib and bzip2, for the packages' tests and the cache test.
    cpSync(join(import.meta.dirname, "fixtures", "packages", "zip"), join(ws, "zip"), { recursive: true });
    renameSync(join(ws, "WORKSPACE"), join(ws, WORKSPACE_FILE));
    writeFileSync(join(ws, "conda-bazel.yaml"), `init:\n  starlarkDirectory: ${VENDORED}\n`);
    await init(ws, prefix, cache);
    expect(readdirSync(ws)).not.toContain("WORKSPACE");
    expect(readdirSync(ws)).not.toContain("third_party");
    expect(readFileSync(join(ws, WORKSPACE_FILE), "utf8")).toContain(`path = "${VENDORED}"`);
    appendFileSync(join(ws, WORKSPACE_FILE), '\nload("@conda_bazel//:defs.bzl", "conda_modules")\n\nconda_modules()\n');

    bazel = new Bazel(ws, join(root, "out1"), offline);
  });

  afterAll(async () => {
    await bazel?.shutdown();
    await otherBazel?.shutdown();
  });

  it("cross-builds a cc_binary with a cc_library dep for aarch64 that runs under qemu, and the host build uses the conda compiler", async () => {
    // One build for both: the binary, and a file an exec tool wrote, which the host toolchain
    // built (no aarch64 compiler or flag reached it).
    const build = await bazel.ok("build", [`--disk_cache=${diskCache}`, `--config=${AARCH64}`, "//app:hello", "//app:generated"]);
    expect(build.stderr).toContain("Build completed successfully");
    const binary = join(ws, "bazel-bin", "app", "hello");
    expect(await elfMachine(binary)).toBe("AArch64");
    const run = await execa("qemu-aarch64", ["-L", "/usr/aarch64-linux-gnu", binary]);
    expect(run.stdout).toBe("hello from conda");
    expect(readFileSync(join(ws, "bazel-bin", "app", "generated.txt"), "utf8")).toBe("ran on the exec platform\n");

    await bazel.ok("build", [`--disk_cache=${diskCache}`, "//app:hello"]);
    expect(await elfMachine(binary)).toBe("Advanced Micro Devices X86-64");
    const aquery = await bazel.ok("aquery", ['mnemonic("CppCompile|CppLink", //app:hello)']);
    const tools = [...aquery.stdout.matchAll(/Command Line: \(exec (\S+)/g)].map((m) => m[1]);
    expect(tools.length).toBeGreaterThanOrEqual(2);
    // Relative to the execroot, through the prefix linked into @conda: no machine path in the key.
    for (const tool of tools) expect(tool).toBe(`external/conda/${HOST}/prefix/bin/x86_64-conda-linux-gnu-cc`);
    // conda's optimisation flags belong to -c opt, its debug flags to -c dbg, neither to fastbuild.
    const argv = async (mode: string) => (await bazel.ok("aquery", ["-c", mode, 'mnemonic("CppCompile", //app:greet)'])).stdout;
    expect(aquery.stdout).not.toMatch(/\s-O2\s/);
    expect(await argv("opt")).toMatch(/\s-O2 \\\n\s+-DNDEBUG \\\n\s+'-D_FORTIFY_SOURCE=2'/);
    expect(await argv("dbg")).toMatch(/\s-Og \\\n\s+-g \\/);
    const outputBase = await bazel.outputBase();
    const resolved = await execa("realpath", [join(outputBase, "execroot", "demo", tools[0]!.replace(/^external/, "../../external"))]);
    expect(resolved.stdout).toBe(join(prefix, "bin", "x86_64-conda-linux-gnu-gcc"));
  });

  it("runs a py_binary on the conda interpreter", async () => {
    const run = await bazel.ok("run", ["//py:where"]);
    const inPrefix = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/bin/python3`);
    expect(run.stdout.trim()).toMatch(inPrefix);
    // Where the shell has python3 but no `python` (a fresh Debian 12), the launcher still starts.
    const { stdout: bin } = await bazel.ok("info", ["bazel-bin"]);
    const direct = await execa(join(bin.trim(), "py", "where"), [], { env: { PATH: "/usr/bin:/bin" }, extendEnv: false, reject: false });
    expect(direct.exitCode, direct.stderr).toBe(0);
    expect(direct.stdout.trim()).toMatch(inPrefix);
  });

  it("builds Python extension modules with the conda compiler that a py_test on the conda Python imports, and a cc_test embedding libpython", async () => {
    const test = await bazel.ok("test", [`--disk_cache=${diskCache}`, "--test_output=all", PYEXT]);
    expect(test.stdout + test.stderr).toMatch(/\/\/pyext:pyext_test\s+PASSED/);
    expect(test.stdout + test.stderr).toMatch(/\/\/pyext:embed_test\s+PASSED/);
    // On the env's interpreter, importing the modules named by the EXT_SUFFIX that Python reports.
    expect(test.stdout).toContain(`python = ${prefix}/bin/python3.`);
    const suffix = (await execa(join(prefix, "bin", "python3"), ["-c", "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))"])).stdout.trim();
    const module = join(ws, "bazel-bin", "pyext", `npstats${suffix}`);
    expect(await elfMachine(module)).toBe("Advanced Micro Devices X86-64");
    // Headers reach the compiler through @conda's python/ package, never by the prefix's path.
    const aquery = (await bazel.ok("aquery", ['mnemonic("CppCompile|CppLink", //pyext:npstats.so)'])).stdout;
    expect(aquery).toContain("external/conda/python/include");
    expect(aquery).toContain("external/conda/python/numpy/include");
    expect(aquery).not.toContain(prefix);
    // They are for the env's own Python: a cross build asking for one stops at analysis, saying why.
    const cross = await bazel.run("build", [`--config=${AARCH64}`, "//pyext:npstats"]);
    expect(cross.exitCode).not.toBe(0);
    expect(cross.stderr).toContain("//pyext:npstats is incompatible and cannot be built");
    expect(cross.stderr).toMatch(/@conda\/\/python:\w+ +<-- target platform didn't satisfy constraint @platforms\/\/cpu:x86_64/);
  });

  it("shares the disk cache with a copy of the checkout and of the prefix at other paths, built as another machine would", async () => {
    // The first checkout's builds fill the disk cache. The extension modules and the env's zlib and
    // bzip2 (@conda//pkgs/..., @zlib//:zlib, shared and static) are for the env's own platform:
    // built in the host build only.
    const builds = [[`--config=${AARCH64}`, "//app:hello"], ["//app:hello", PYEXT, "//zip:roundtrip", "//zip:roundtrip_static", "//zip:which"]];
    for (const args of builds) await bazel.ok("build", [`--disk_cache=${diskCache}`, ...args]);
    const ws2 = join(root, "elsewhere", "ws2");
    const prefix2 = join(root, `env 2 "q" 'a' $HOME \\b`);
    cpSync(prefix, prefix2, { recursive: true, verbatimSymlinks: true });
    cpSync(ws, ws2, { recursive: true, filter: (src) => !/[/\\]bazel-[^/\\]*$/.test(src) });
    await init(ws2, prefix2, join(root, "probe-cache-2"));
    const home = join(root, "home2");
    mkdirSync(home);
    otherBazel = new Bazel(ws2, join(root, "out2"), offline, { env: { PATH: `${home}:/usr/local/bin:/usr/bin:/bin`, HOME: home } });
    const counts = [];
    for (const args of builds) {
      const build = await otherBazel.ok("build", [`--disk_cache=${diskCache}`, ...args]);
      counts.push(processCounts(build.stderr));
    }
    process.stderr.write(`cache portability: ${JSON.stringify(counts)}\n`);
    // Bazel 4 reports a --disk_cache hit as a "remote cache hit"; later releases say "disk cache hit".
    const hits = (c: Record<string, number>) => (c["remote cache hit"] ?? 0) + (c["disk cache hit"] ?? 0);
    for (const c of counts) expect(Object.keys(c).filter((k) => !/cache hit|internal/.test(k))).toEqual([]);
    expect(hits(counts[0]!)).toBeGreaterThanOrEqual(4);
    // hello's 4; both extension modules' and embed_test's compile and link (6); the zip consumers'
    // 4 compiles, 3 links and an archive (8).
    expect(hits(counts[1]!)).toBeGreaterThanOrEqual(4 + 6 + 8);

    // The rc files carry the prefix with spaces, quotes, `$` and a backslash to an action intact.
    await otherBazel.ok("build", ["--config=conda-env", "//env:env"]);
    expect(readFileSync(join(ws2, "bazel-bin", "env", "env.txt"), "utf8")).toBe(prefix2);
    // Its part is done: one Bazel server less for the tests after it on a small machine.
    await otherBazel.shutdown();
  });

  it("builds a target added to the env after init runs again, and a no-change init touches nothing and refetches nothing", async () => {
    const before = await bazel.run("build", [`--config=${PPC64LE}`, "//app:hello"]);
    expect(before.exitCode).not.toBe(0);

    buildStandInPrefix(prefix, { subdirs: ["linux-64", "linux-aarch64", "linux-ppc64le"], clang: CLANG_SUBDIRS, filler: 2 });
    await init(ws, prefix, cache);
    await bazel.ok("build", [`--config=${PPC64LE}`, "//app:hello"]);
    const binary = join(ws, "bazel-bin", "app", "hello");
    expect(await elfMachine(binary)).toBe("PowerPC64");
    const run = await execa("qemu-ppc64le", ["-L", "/usr/powerpc64le-linux-gnu", binary]);
    expect(run.stdout).toBe("hello from conda");

    const generated = [".bazelrc", ".bazelrc.conda", ".gitignore", WORKSPACE_FILE, ...filesUnder(join(ws, VENDORED)).map((p) => `${VENDORED}/${p}`)];
    const first = snapshot(ws, generated);
    const outputBase = await bazel.outputBase();
    const repoBuild = join(outputBase, "external", "conda", "BUILD.bazel");
    // .bazelrc.conda turned Bazel's own C/C++ detection off: the toolchain it keeps as a fallback
    // names no compiler or directory of this machine (detection would have written /usr/bin/gcc's).
    expect(readFileSync(join(outputBase, "external", "local_config_cc", "BUILD"), "utf8")).not.toContain("/usr/");
    const fetched = statSync(repoBuild).mtimeMs;
    const again = await init(ws, prefix, cache);
    expect(again.stdout).not.toMatch(/created|updated|deleted/);
    expect(snapshot(ws, generated)).toEqual(first);
    await bazel.ok("build", [`--config=${PPC64LE}`, "//app:hello"]);
    expect(statSync(repoBuild).mtimeMs).toBe(fetched);

    // Any install into the env (here a package with no compiler in it) changes the fingerprint
    // that .bazelrc.conda pins, and only that file: Bazel then fetches @conda again.
    writeFileSync(join(prefix, "conda-meta", "six-1.16.0-pyh6c4a22f_0.json"), JSON.stringify({ name: "six", version: "1.16.0", build: "pyh6c4a22f_0", build_number: 0, subdir: "noarch", channel: "https://conda.anaconda.org/conda-forge/noarch", files: [] }));
    const installed = await init(ws, prefix, cache);
    expect(installed.stdout.split("\n").filter((l) => /created|updated|deleted/.test(l))).toEqual([expect.stringMatching(/^updated\s+\.bazelrc\.conda$/)]);
    await bazel.ok("build", [`--config=${PPC64LE}`, "//app:hello"]);
    expect(statSync(repoBuild).mtimeMs).toBeGreaterThan(fetched);
  });

  it("generates @conda files that buildifier formats as they are, lints clean and name no global Bazel 9 removed", async () => {
    await bazel.ok("query", ["@conda//:all"]);
    const outputBase = await bazel.outputBase();
    const repo = join(outputBase, "external", "conda");
    // ppc64le is there only after the test that adds it to the env; this one also runs alone.
    const targets = [HOST, AARCH64, PPC64LE].filter((t) => readdirSync(repo).includes(t));
    expect(targets).toEqual(expect.arrayContaining([HOST, AARCH64]));
    const files = ["BUILD.bazel", "environment.bzl", "go/BUILD.bazel", "python/BUILD.bazel", ...targets.map((t) => `${t}/BUILD.bazel`)];
    await expectCleanGeneratedStarlark(repo, files.map((file) => join(repo, file)));
  });

  it("compiles all of Go's standard library by default, what --@conda_bazel//go:stdlib_packages lists if set, and refuses a value that is no standard-library package with one line", async () => {
    // Analysis only. A new flag value discards Bazel 4's analysis cache: after the builds.
    const stdlib = ["mnemonic(GoStdlib, @conda_bazel//go:stdlib)"];
    expect(stdlibPackages((await bazel.ok("aquery", stdlib)).stdout)).toEqual(["std"]);
    const narrowed = await bazel.ok("aquery", ["--@conda_bazel//go:stdlib_packages=strings,net/http", ...stdlib]);
    // With what every cgo library links, sorted: one action key for one set.
    expect(stdlibPackages(narrowed.stdout)).toEqual(["net/http", "runtime/cgo", "strings", "syscall"]);
    expect(narrowed.stdout).toContain("Compiling the Go standard library for x86_64-unknown-linux-gnu (net/http, runtime/cgo, strings, syscall)");
    for (const value of ["-toolexec=/bin/sh", "github.com/x/y", "fmt;rm"]) {
      const result = await bazel.run("aquery", [`--@conda_bazel//go:stdlib_packages=fmt,${value}`, ...stdlib]);
      expect(result.exitCode).not.toBe(0);
      const errors = result.stderr.split("\n").filter((l) => l.startsWith("Error in fail: "));
      expect(errors).toEqual([`Error in fail: --@conda_bazel//go:stdlib_packages=fmt,${value}: "${value}" is not a standard-library package; list import paths such as fmt,net/http or std`]);
    }
  });

  it("declares the same @conda through the bzlmod extension's implementation as through the WORKSPACE macro", async () => {
    // The tag gets the very targets init gave the WORKSPACE macro.
    const targets = /conda_environment\(\s*name = "conda",\s*targets = (\[[^\]]*\])/.exec(readFileSync(join(ws, WORKSPACE_FILE), "utf8"))![1]!;
    mkdirSync(join(ws, "extension"));
    writeFileSync(join(ws, "extension", "BUILD"), "");
    writeFileSync(join(ws, "extension", "emulation.bzl"), EXTENSION_EMULATION);
    appendFileSync(join(ws, WORKSPACE_FILE), `\nload("//extension:emulation.bzl", "conda_via_extension")\n\nconda_via_extension(name = "conda_ext", targets = ${targets})\n`);
    await bazel.ok("query", ["@conda//:all + @conda_ext//:all"]);
    const outputBase = await bazel.outputBase();
    const viaMacro = repositoryFiles(join(outputBase, "external", "conda"));
    const viaExtension = repositoryFiles(join(outputBase, "external", "conda_ext"));
    expect(Object.keys(viaMacro)).toEqual(expect.arrayContaining(["BUILD.bazel", "environment.bzl", "go/BUILD.bazel", `${HOST}/BUILD.bazel`, `${AARCH64}/BUILD.bazel`]));
    expect(viaExtension).toEqual(viaMacro);
  });

  it("names the command and shows what it printed when the callout prints something that is not JSON", async () => {
    // A CLI pin that runs, exits 0 and prints a line of text instead of the JSON document.
    // @conda, which init declares: this test needs no earlier one's workspace edits.
    const result = await bazel.run("query", ["--repo_env=CONDA_BAZEL_NODE=/bin/echo", "--repo_env=CONDA_BAZEL_CLI=Warning:", "@conda//:all"]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("conda-bazel printed something that is not a JSON document.");
    const command = /Command: \/bin\/echo (Warning: describe --json --prefix \S+.*)/.exec(result.stderr)?.[1];
    expect(command, result.stderr).toBeDefined();
    // What echo printed, and its first 200 bytes as Starlark's repr shows them (the temp dir's
    // path decides whether the line break is among them).
    const printed = `${command}\n`;
    expect(result.stderr).toContain(`It printed ${printed.length} bytes, beginning: "${printed.slice(0, 200).replaceAll("\n", "\\n")}"`);
    expect(result.stderr).not.toMatch(/json\.decode|Expected|unexpected character/i);
  });

  describe("the env's libraries as Bazel deps", () => {
    it("builds every consumer and passes the cc_test in one invocation; bazel run round-trips through the env's zlib", async () => {
      // The vendored modules/ aliases too (the bzlmod override's BUILD files, here loaded as
      // @conda_bazel's packages): they resolve to the env's packages.
      await bazel.ok("test", ["//zip/...", "@conda_bazel//modules/zlib:zlib", "@conda_bazel//modules/bzip2:bz2"]);
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
      await bazel.ok("query", ["@conda//pkgs/... + @zlib//:all + @bzip2//:all"]);
      const outputBase = await bazel.outputBase();
      const packages = join(outputBase, "external", "conda", "pkgs");
      // Packages without C/C++ content (the compilers, Go, Python-only fillers) have no target.
      expect(readdirSync(packages).sort()).toEqual(["BUILD.bazel", "bzip2", "libgcc", "libzlib", "packages.bzl", "python", "zlib"]);
      await expectCleanGeneratedStarlark(join(outputBase, "external"), [
        ...["BUILD.bazel", "packages.bzl", "zlib/BUILD.bazel", "libzlib/BUILD.bazel", "bzip2/BUILD.bazel", "python/BUILD.bazel"].map((f) => join(packages, f)),
        join(outputBase, "external", "zlib", "BUILD.bazel"),
        join(outputBase, "external", "bzip2", "BUILD.bazel"),
      ]);
    });

    // After the others: each fetches @conda from another prefix (--repo_env), which the next build undoes.
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

  // Last: it turns the workspace's toolchains to clang. The repository rule's describe runs in
  // Bazel's environment, so it only picks clang through init's pin in .bazelrc.conda.
  it("with init --compiler clang, builds a host cc_binary that runs, and an aarch64 one that runs under qemu, with the clang drivers", async () => {
    const switched = await init(ws, prefix, cache, ["--compiler", "clang"]);
    expect(switched.stdout).toContain(`${HOST}: clang, chosen by --compiler`);
    // -s: the command lines, to see which driver compiled and linked.
    const host = await bazel.ok("build", ["-s", "//app:hello"]);
    const binary = join(ws, "bazel-bin", "app", "hello");
    expect((await execa(binary)).stdout).toBe("hello from conda");
    expect(host.stderr).toContain(`external/conda/${HOST}/prefix/bin/x86_64-conda-linux-gnu-clang `);
    expect(host.stderr).not.toContain("x86_64-conda-linux-gnu-cc ");
    expect(host.stderr).not.toContain("-fno-canonical-system-headers");

    const cross = await bazel.ok("build", ["-s", `--config=${AARCH64}`, "//app:hello"]);
    expect(cross.stderr).toContain(`external/conda/${AARCH64}/prefix/bin/aarch64-conda-linux-gnu-clang `);
    expect(await elfMachine(binary)).toBe("AArch64");
    expect((await execa("qemu-aarch64", ["-L", "/usr/aarch64-linux-gnu", binary])).stdout).toBe("hello from conda");
    const outputBase = await bazel.outputBase();
    expect(readFileSync(join(outputBase, "external", "conda", AARCH64, "BUILD.bazel"), "utf8")).toContain('compiler = "clang"');
  });
});
