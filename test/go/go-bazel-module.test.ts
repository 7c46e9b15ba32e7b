// go_c_shared_library and go_c_archive_library on a real Go module, with real Bazel 4.2.3
// (offline) and the stand-in conda prefix: two libraries whose main packages (in cmd/) import a
// package of the module (internal/) and a vendored module, with srcs a glob of the module. For the
// host and aarch64, one invocation each builds both libraries, a c-archive and a cc_binary
// linking it: the standard library is compiled by one action per target (the execution log), the
// libraries load and the binary runs (under qemu for aarch64), and go-build of the same package
// gives the same bytes (library and header). A module that needs the network fails with one
// line; an edit in the imported package rebuilds without compiling the standard library again,
// though it imports a package that the workspace's --@conda_bazel//go:stdlib_packages leaves out
// (the library's own action compiles it).
// The run's Bazel test files share a disk cache, so the standard library's one action per target
// may be served from it.
// The same workspace and Bazel server hold a Go package with a C++ file (cxx/), built as a C
// shared library by go-build and by go_c_shared_library: both link with the conda C++ compiler,
// so both libraries need libstdc++, load, and run the C++ code. With CXX set to the C compiler the
// Bazel library links without libstdc++ and fails to load on undefined `std::` symbols. Sharing
// the server saves a Bazel start, an analysis of the conda repositories and a check of the
// GOROOT's inputs; the C++ package is built for the host, before the aarch64 builds.
import { execa } from "execa";
import { createHash, randomUUID } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";
import { cleanEnv, cli, ROOT, tempDir } from "../cli/helpers.js";
import { Bazel, offlineRepositories, requireBazel } from "../support/bazel.js";
import { sharedCacheDir, sharedDiskCache } from "../support/shared-caches.js";

const HOST = "x86_64-unknown-linux-gnu";
const AARCH64 = "aarch64-unknown-linux-gnu";
const TARGETS = ["//:greet", "//:count", "//:app"];

/** The workspace: fixtures/gomod/BUILD.bazel says what it holds. */
const FIXTURE = join(ROOT, "test", "go", "fixtures", "gomod");

interface Spawn {
  mnemonic?: string;
  remoteCacheHit?: boolean;
}

/** The actions of the build that wrote `log`: those Bazel ran, and those a cache served. */
function spawns(log: string): { ran: string[]; all: string[] } {
  // Bazel 4 writes the JSON log as pretty-printed objects, one per spawn, joined by "}{" on a line
  // of its own (a newline inside a value is escaped).
  const text = readFileSync(log, "utf8");
  const all = JSON.parse(`[${text.replace(/\n\}\{\n/g, "\n},{\n")}]`) as Spawn[];
  return { ran: all.filter((s) => !s.remoteCacheHit).map((s) => s.mnemonic ?? ""), all: all.map((s) => s.mnemonic ?? "") };
}

const count = (items: string[], item: string) => items.filter((i) => i === item).length;

async function callInt(library: string, symbol: string): Promise<string> {
  const script = "import ctypes, sys\nprint(getattr(ctypes.CDLL(sys.argv[1]), sys.argv[2])())\n";
  return (await execa("python3", ["-c", script, library, symbol])).stdout.trim();
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** The C++ package, written into the workspace's cxx/ (the fixture stays as bench/go-bazel.mjs uses it). */
const CXX_FILES: Record<string, string> = {
  "BUILD.bazel": [
    'load("@conda_bazel//go:defs.bzl", "go_c_shared_library")',
    "",
    "go_c_shared_library(",
    '    name = "shout",',
    '    srcs = glob(["shout/*"]),',
    ")",
    "",
  ].join("\n"),
  "shout/go.mod": "module example.com/shout\n\ngo 1.19\n",
  "shout/shout.h": "#ifdef __cplusplus\nextern \"C\" {\n#endif\nint shout_length(const char *word);\n#ifdef __cplusplus\n}\n#endif\n",
  // std::string and std::transform: symbols only libstdc++ defines.
  "shout/shout.cpp": [
    "#include <algorithm>",
    "#include <cctype>",
    "#include <string>",
    '#include "shout.h"',
    "static std::string shouted(const char *word) {",
    "  std::string s(word);",
    "  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });",
    '  return s + "!";',
    "}",
    'extern "C" int shout_length(const char *word) { return static_cast<int>(shouted(word).size()); }',
    "",
  ].join("\n"),
  "shout/shout.go": [
    "package main",
    "",
    '// #include "shout.h"',
    '// #include <stdlib.h>',
    'import "C"',
    "",
    "//export ShoutLength",
    "func ShoutLength(word *C.char) C.int { return C.shout_length(word) }",
    "",
    "func main() {}",
    "",
  ].join("\n"),
};

/** Loads the library with ctypes, as a Python consumer would, and calls the exported function. */
async function shoutLength(library: string, word: string): Promise<string> {
  const script = "import ctypes, sys\nlib = ctypes.CDLL(sys.argv[1])\nprint(lib.ShoutLength(sys.argv[2].encode()))\n";
  const { stdout } = await execa("python3", ["-c", script, library, word]);
  return stdout.trim();
}

async function needed(library: string): Promise<string[]> {
  const { stdout } = await execa("readelf", ["--dynamic", "--wide", library]);
  return [...stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!);
}

describe("go_c_shared_library and go_c_archive_library on a Go module with internal and vendored packages", () => {
  requireBazel();
  const root = tempDir("conda-bazel-gomod-");
  const prefix = join(root, "env");
  const ws = join(root, "ws");
  const cache = sharedCacheDir();
  let bazel: Bazel;

  async function build(name: string, args: string[]): Promise<{ ran: string[]; all: string[] }> {
    const log = join(root, `${name}.json`);
    await bazel.ok("build", [`--execution_log_json_file=${log}`, ...args]);
    const actions = spawns(log);
    process.stderr.write(`gomod ${name}: ran ${JSON.stringify(actions.ran.filter((m) => m.startsWith("Go")))}\n`);
    return actions;
  }

  /** go-build of cmd/greet for `target`, and its library's sha256. */
  async function goBuild(target: string): Promise<string> {
    const out = join(root, "go-build-out");
    const result = await cli(["go-build", join(ws, "mod", "cmd", "greet"), "--prefix", prefix, "--target", target, "--out", out, "--name", "greet"], cleanEnv(cache), ws);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(sha256(join(out, target, "libgreet.h"))).toBe(sha256(join(ws, "bazel-bin", "libgreet.h")));
    return sha256(join(out, target, "libgreet.so"));
  }

  beforeAll(async () => {
    // Go laid out as the demo's (go/bin/linux_amd64/go): the go command is part of the standard
    // library action's key, and the run's shared disk cache then serves the demo's.
    buildStandInPrefix(prefix, { subdirs: ["linux-64", "linux-aarch64"], python: false, filler: 1, goLayout: "cross" });
    cpSync(FIXTURE, ws, { recursive: true });
    // As the example monorepo's: the standard library compiled is what the libraries import, and
    // the run's shared disk cache holds the demo's.
    writeFileSync(join(ws, ".bazelrc"), "build --@conda_bazel//go:stdlib_packages=strings\n");
    for (const [path, text] of Object.entries(CXX_FILES)) {
      mkdirSync(join(ws, "cxx", path, ".."), { recursive: true });
      writeFileSync(join(ws, "cxx", path), text);
    }
    const init = await cli(["init", "--prefix", prefix, "--workspace", ws], cleanEnv(cache));
    if (init.exitCode !== 0) throw new Error(`init failed: ${init.stderr}`);
    // Bazel 4 writes each execution log to a temp file of the JVM's first and leaves it there:
    // in this file's directory, not /tmp.
    const jvmTmp = join(root, "jvm-tmp");
    mkdirSync(jvmTmp);
    bazel = new Bazel(ws, join(root, "bazel-root"), offlineRepositories(join(root, "offline")), {
      diskCache: sharedDiskCache(),
      startup: [`--host_jvm_args=-Djava.io.tmpdir=${jvmTmp}`],
    });
  });

  afterAll(async () => {
    await bazel?.shutdown();
  });

  it("for the host: compiles the standard library once for two libraries and a c-archive; they load, the cc_binary runs, go-build gives the same bytes", async () => {
    const { all } = await build("host", TARGETS);
    expect(count(all, "GoStdlib")).toBe(1);
    expect(count(all, "GoCShared")).toBe(2);
    expect(count(all, "GoCArchive")).toBe(1);
    expect(await callInt(join(ws, "bazel-bin", "libgreet.so"), "GreetLength")).toBe("6");
    expect(await callInt(join(ws, "bazel-bin", "libcount.so"), "Count")).toBe("5");
    expect((await execa(join(ws, "bazel-bin", "app"))).stdout).toBe("6");
    expect(sha256(join(ws, "bazel-bin", "libgreet.so"))).toBe(await goBuild(HOST));
  });

  // On the host, whose standard library the first test built: the Go action runs and fails.
  it("fails a module that requires modules not vendored with one line saying to vendor them", async () => {
    const result = await bazel.run("build", ["//:needsnet"]);
    expect(result.exitCode).not.toBe(0);
    const lines = result.stderr.split("\n").filter((l) => l.startsWith("go: "));
    expect(lines).toEqual(["go: the module of netmod requires modules that are not vendored, and Bazel builds run offline: run 'go mod vendor' in the module and include vendor/ in srcs"]);
    expect(result.stderr).not.toContain("inconsistent vendoring");
  });

  // For the host, before the aarch64 builds: Bazel 4 gives all --platforms one output directory,
  // so this build finds the host's standard library of the first test up to date.
  describe("a Go package with C++ code", () => {
    it("loads and runs from go-build, linked against libstdc++", async () => {
      const out = join(root, "cxx-go-build-out");
      const result = await cli(["go-build", join(ws, "cxx", "shout"), "--prefix", prefix, "--target", HOST, "--out", out], cleanEnv(cache), ws);
      expect(result.exitCode, result.stderr).toBe(0);
      const library = join(out, HOST, "libshout.so");
      expect(await needed(library)).toContain("libstdc++.so.6");
      expect(await shoutLength(library, "hello")).toBe("6");
    });

    it("loads and runs from Bazel's go_c_shared_library, built with the conda C++ compiler", async () => {
      await bazel.ok("build", ["//cxx:shout"]);
      const library = join(ws, "bazel-bin", "cxx", "libshout.so");
      expect(await needed(library)).toContain("libstdc++.so.6");
      expect(await shoutLength(library, "hello")).toBe("6");
      const aquery = await bazel.ok("aquery", ["mnemonic(GoCShared, //cxx:shout)"]);
      expect(aquery.stdout).toContain(`CXX=@@EXECROOT@@/external/conda/${HOST}/prefix/bin/x86_64-conda-linux-gnu-c++`);
      // Of the GOROOT, the action reads the standard library's sources and the tools: not Go's
      // tests, the commands' sources, nor the packages Go 1.19 installed into pkg/linux_amd64.
      const goroot = /Inputs: \[([^\]]*)\]/.exec(aquery.stdout)![1]!.split(", ").filter((i) => i.startsWith("external/conda/go/"));
      expect(goroot).toEqual(expect.arrayContaining(["external/conda/go/src/runtime/cgo/gcc_linux_amd64.c", "external/conda/go/pkg/tool/linux_amd64/compile"]));
      expect(goroot.filter((i) => /^external\/conda\/go\/(src\/cmd|pkg\/linux_amd64|test|misc)\/|_test\.go$/.test(i))).toEqual([]);
    });
  });

  it("for aarch64: the same, the cc_binary linking Go statically and running under qemu", async () => {
    const { all } = await build("aarch64", [`--config=${AARCH64}`, ...TARGETS]);
    expect(count(all, "GoStdlib")).toBe(1);
    expect(count(all, "GoCShared")).toBe(2);
    const app = join(ws, "bazel-bin", "app");
    const { stdout: file } = await execa("file", ["-L", app]);
    expect(file).toContain("ARM aarch64");
    expect((await execa("qemu-aarch64", ["-L", "/usr/aarch64-linux-gnu", app])).stdout).toBe("6");
    expect(sha256(join(ws, "bazel-bin", "libgreet.so"))).toBe(await goBuild(AARCH64));
  });

  it("rebuilds after an edit in the imported package of the module, without compiling the standard library again, though the edit imports a package the flag leaves out", async () => {
    // aarch64, the configuration built last: Bazel 4 gives every --platforms one output directory,
    // so going back to the host would rebuild everything (a disk cache would serve it).
    // A token of this run's own in the edit: the run's shared disk cache must not already hold
    // the edited libraries (from an earlier run of this file with the same caches).
    writeFileSync(
      join(ws, "mod", "internal", "shout", "shout.go"),
      `package shout\n\nimport (\n\t"strconv"\n\t"strings"\n)\n\n// Edited by run ${randomUUID()}.\nfunc Shout(s string) string { return strings.ToUpper(s) + "!" + strconv.Itoa(1) }\n`,
    );
    const { ran } = await build("edit", [`--config=${AARCH64}`, "//:greet", "//:app"]);
    expect(ran.filter((m) => m.startsWith("Go")).sort()).toEqual(["GoCArchive", "GoCShared"]);
    expect((await execa("qemu-aarch64", ["-L", "/usr/aarch64-linux-gnu", join(ws, "bazel-bin", "app")])).stdout).toBe("7");
  });
});
