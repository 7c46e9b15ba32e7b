// @ts-check
// What running Bazel 4.2.3 offline takes (reference/offline-toolchain.md), shared by the tests
// (bazel.ts) and the benchmarks: Debian's rules_java and @platforms, and a small rules_cc
// stand-in whose cc/defs.bzl forwards each rule to the native one (Bazel 4.2.3's @bazel_tools
// asks for @rules_cc, and Debian's copy needs a newer Bazel).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const RULES = ["cc_library", "cc_binary", "cc_test", "cc_import", "cc_toolchain", "cc_toolchain_suite", "cc_proto_library", "objc_library", "objc_import"];

/** Writes the rules_cc stand-in into `dir` and returns `dir`. @param {string} dir */
export function rulesCcStub(dir) {
  mkdirSync(join(dir, "cc"), { recursive: true });
  writeFileSync(join(dir, "WORKSPACE"), 'workspace(name = "rules_cc")\n');
  writeFileSync(join(dir, "BUILD"), "");
  writeFileSync(join(dir, "cc", "BUILD"), "");
  writeFileSync(join(dir, "cc", "defs.bzl"), RULES.map((r) => `def ${r}(**kwargs):\n    native.${r}(**kwargs)\n`).join("\n"));
  return dir;
}

/** The --override_repository flags, given the stand-in's directory. @param {string} stub */
export function offlineFlags(stub) {
  return [
    "--override_repository=rules_java=/usr/share/bazel/rules/java",
    "--override_repository=platforms=/usr/share/bazel/tools/platforms",
    `--override_repository=rules_cc=${stub}`,
  ];
}

/**
 * The process summary of a build: `{ "remote cache hit": 4, "linux-sandbox": 1, internal: 5 }`.
 * @param {string} stderr
 * @returns {Record<string, number>}
 */
export function processCounts(stderr) {
  const line = stderr.split("\n").reverse().find((l) => /^INFO: \d+ process(es)?[:.]/.test(l));
  if (!line) throw new Error(`no process summary in Bazel's output:\n${stderr.slice(-2000)}`);
  /** @type {Record<string, number>} */
  const counts = {};
  for (const part of line.replace(/^INFO: \d+ process(es)?:?/, "").replace(/\.$/, "").split(",")) {
    const match = /^\s*(\d+) (.+?)\s*$/.exec(part);
    if (match) counts[/** @type {string} */ (match[2])] = Number(match[1]);
  }
  return counts;
}

/** Writes a small monorepo into `dir`: a C library, a C++ binary using it, an exec tool run by a
 * genrule, a Python binary, a genrule reading the env. @param {string} dir */
export function writeWorkspace(dir) {
  /** @type {Record<string, string>} */
  const files = {
    WORKSPACE: 'workspace(name = "demo")\n',
    "app/BUILD": [
      'load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_library")',
      'cc_library(name = "greet", srcs = ["greet.c"], hdrs = ["greet.h"])',
      'cc_binary(name = "hello", srcs = ["main.cc"], deps = [":greet"])',
      // A tool built for the exec platform while the target platform is another one.
      'cc_binary(name = "gen", srcs = ["gen.c"])',
      'genrule(name = "generated", outs = ["generated.txt"], tools = [":gen"], cmd = "$(location :gen) > $@")',
      "",
    ].join("\n"),
    "app/greet.h": "const char *greeting(void);\n",
    "app/greet.c": '#include <stdio.h>\n#include "app/greet.h"\nconst char *greeting(void) { return "hello from conda"; }\n',
    "app/gen.c": '#include <stdio.h>\nint main(void) { puts(sizeof(void *) == 8 ? "ran on the exec platform" : "?"); return 0; }\n',
    "app/main.cc": '#include <iostream>\nextern "C" {\n#include "app/greet.h"\n}\nint main() { std::cout << greeting() << std::endl; return 0; }\n',
    "py/BUILD": 'py_binary(name = "where", srcs = ["where.py"], python_version = "PY3")\n',
    "py/where.py": "import sys\nprint(sys.executable)\n",
    "env/BUILD": 'genrule(name = "env", outs = ["env.txt"], cmd = "printf %s \\"$$CONDA_PREFIX\\" > $@")\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
