// conda-bazel init in a real Bazel 4.2.3 workspace: cross builds that run under qemu, the host
// build on the conda compiler, a py_binary on the conda interpreter, Python extension modules
// (the example monorepo's pyext/) imported by a py_test on it, a change to the env, an
// init that changes nothing, and a second checkout + prefix at other paths (one with spaces,
// quotes, `$` and a backslash) that takes every compile and link from the first one's disk cache.
// The Starlark is the one for Bazel 7.2 to 9, loading rules_cc and rules_python, here from the
// offline stand-ins (test/support/offline-repositories). The bzlmod extension's implementation
// runs too, called with a stand-in module_ctx (Bazel 4.2.3 has no module extensions), and must
// declare the same @conda as the WORKSPACE macro. One workspace and one server per checkout keep
// the Bazel starts few.
import { execa } from "execa";
import { appendFileSync, cpSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";
import { formatStarlark, lintStarlark } from "../../src/buildifier.js";
import { cleanEnv, cli, ROOT, tempDir } from "../cli/helpers.js";
import { Bazel, offlineRepositories, processCounts, requireBazel } from "../support/bazel.js";
import { unloadedRemovedGlobals } from "../support/starlark-loads.js";
import { filesUnder } from "../support/tree.js";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { writeWorkspace } from "../support/bazel-offline.mjs";

const AARCH64 = "aarch64-unknown-linux-gnu";
const PPC64LE = "powerpc64le-unknown-linux-gnu";
const HOST = "x86_64-unknown-linux-gnu";
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
    buildStandInPrefix(prefix, { subdirs: ["linux-64", "linux-aarch64"], filler: 2 });
    writeWorkspace(ws);
    cpSync(join(ROOT, "examples", "monorepo", "pyext"), join(ws, "pyext"), { recursive: true });
    // Consumers of the env's zlib and bzip2 (conda-packages.test.ts runs them), for the cache test.
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

    buildStandInPrefix(prefix, { subdirs: ["linux-64", "linux-aarch64", "linux-ppc64le"], filler: 2 });
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
    for (const file of files) {
      const text = readFileSync(join(repo, file), "utf8");
      const type = file.endsWith(".bzl") ? "bzl" : "build";
      expect(await lintStarlark(text, type, file), file).toEqual([]);
      expect(await formatStarlark(text, type), file).toBe(text);
      expect(unloadedRemovedGlobals(text), file).toEqual([]);
    }
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
});
