// @ts-check
// What running Bazel 4.2.3 offline takes (reference/offline-toolchain.md), shared by the tests
// (bazel.ts), the demo and the benchmarks: Debian's rules_java and @platforms, and the offline
// stand-ins for rules_cc and rules_python in offline-repositories/ (test support: they forward
// the load paths conda-bazel's Starlark uses to Bazel 4.2.3's built-ins; see its README.md), and
// for the coverage tools every test rule depends on.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const STAND_INS = fileURLToPath(new URL("./offline-repositories/", import.meta.url));
const DEBIAN = { rules_java: "/usr/share/bazel/rules/java", platforms: "/usr/share/bazel/tools/platforms" };

/**
 * Copies the rules_cc, rules_python and remote_coverage_tools stand-ins under `dir` and returns the
 * --override_repository flags that make Bazel 4.2.3 use them (and Debian's rules_java and platforms).
 * @param {string} dir
 * @returns {string[]}
 */
export function offlineRepositories(dir) {
  mkdirSync(dir, { recursive: true });
  const flags = Object.entries(DEBIAN).map(([name, path]) => `--override_repository=${name}=${path}`);
  for (const name of ["rules_cc", "rules_python", "remote_coverage_tools"]) {
    cpSync(join(STAND_INS, name), join(dir, name), { recursive: true });
    flags.push(`--override_repository=${name}=${join(dir, name)}`);
  }
  return flags;
}

/**
 * Startup options for the Bazel servers the tests start: the serial collector and the C1 JIT only.
 * A test's server lives for a few builds of a small workspace, where the default parallel
 * collector and C2 compiler spend CPU they never earn back (a cached build of the example's Go
 * library and C program in a fresh output root: 17.5 CPU-seconds of java by default, 12.8 with
 * these); on 2 cores shared by two test workers that CPU is the suite's time. No perf data
 * file: the tests end their servers with SIGKILL (test/support/bazel.ts), which leaves the JVM's
 * /tmp/hsperfdata_<user>/<pid> behind. They change how the server runs, not what it builds.
 */
export const LEAN_JVM_FLAGS = ["--host_jvm_args=-XX:+UseSerialGC", "--host_jvm_args=-XX:TieredStopAtLevel=1", "--host_jvm_args=-XX:-UsePerfData"];

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
    // Loaded as Bazel 9 requires (it has no native py_binary).
    "py/BUILD": 'load("@rules_python//python:py_binary.bzl", "py_binary")\npy_binary(name = "where", srcs = ["where.py"], python_version = "PY3")\n',
    "py/where.py": "import sys\nprint(sys.executable)\n",
    "env/BUILD": 'genrule(name = "env", outs = ["env.txt"], cmd = "printf %s \\"$$CONDA_PREFIX\\" > $@")\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
