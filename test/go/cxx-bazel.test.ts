// A Go package with a C++ file, built as a C shared library by go-build and by Bazel's
// go_c_shared_library (real Bazel 4.2.3, offline): both link with the conda C++ compiler, so both
// libraries need libstdc++, load, and run the C++ code. With CXX set to the C compiler the Bazel
// library links without libstdc++ and fails to load on undefined `std::` symbols.
import { execa } from "execa";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";
import { cleanEnv, cli, tempDir } from "../cli/helpers.js";
import { Bazel, offlineRepositories, requireBazel } from "../support/bazel.js";
import { sharedCacheDir, sharedDiskCache } from "../support/shared-caches.js";

const HOST = "x86_64-unknown-linux-gnu";

const FILES: Record<string, string> = {
  WORKSPACE: 'workspace(name = "cxx")\n',
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

describe("a Go package with C++ code", () => {
  requireBazel();
  const root = tempDir("conda-bazel-cxx-");
  const prefix = join(root, "env");
  const ws = join(root, "ws");
  const cache = sharedCacheDir();
  let bazel: Bazel;

  beforeAll(async () => {
    // Go laid out as the demo's, whose standard library the run's shared disk cache then serves.
    buildStandInPrefix(prefix, { subdirs: ["linux-64"], filler: 1, goLayout: "cross" });
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(join(ws, path, ".."), { recursive: true });
      writeFileSync(join(ws, path), text);
    }
    const init = await cli(["init", "--prefix", prefix, "--workspace", ws], cleanEnv(cache));
    if (init.exitCode !== 0) throw new Error(`init failed: ${init.stderr}`);
    bazel = new Bazel(ws, join(root, "bazel-root"), offlineRepositories(join(root, "offline")), { diskCache: sharedDiskCache() });
  });

  afterAll(async () => {
    await bazel?.shutdown();
  });

  it("loads and runs from go-build, linked against libstdc++", async () => {
    const out = join(root, "go-build-out");
    const result = await cli(["go-build", join(ws, "shout"), "--prefix", prefix, "--target", HOST, "--out", out], cleanEnv(cache), ws);
    expect(result.exitCode, result.stderr).toBe(0);
    const library = join(out, HOST, "libshout.so");
    expect(await needed(library)).toContain("libstdc++.so.6");
    expect(await shoutLength(library, "hello")).toBe("6");
  });

  it("loads and runs from Bazel's go_c_shared_library, built with the conda C++ compiler", async () => {
    await bazel.ok("build", ["//:shout"]);
    const library = join(ws, "bazel-bin", "libshout.so");
    expect(await needed(library)).toContain("libstdc++.so.6");
    expect(await shoutLength(library, "hello")).toBe("6");
    const aquery = await bazel.ok("aquery", ["mnemonic(GoCShared, //:shout)"]);
    expect(aquery.stdout).toContain(`CXX=@@EXECROOT@@/external/conda/${HOST}/prefix/bin/x86_64-conda-linux-gnu-c++`);
  });
});
