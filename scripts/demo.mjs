#!/usr/bin/env node
// `npm run demo`: the example monorepo end to end. Installs what it needs, takes the conda env of
// $CONDA_PREFIX (or assembles the stand-in prefix around Debian's compilers and says so), runs
// `conda-bazel init` in a copy of examples/, builds the Go library and its C and Python consumers
// with Bazel for the host and for aarch64, cross-compiles the Go library with `conda-bazel
// go-build` for every target the env has a compiler for, runs the consumers (aarch64 under
// qemu), imports the Python extension modules of pyext/ (numpy's C API) on the conda Python and
// prints what was built where. Exits non-zero on any failure.
//
//   CONDA_BAZEL_DEMO_DIR          where the copy, the outputs and Bazel's output root go (default: a new temp dir)
//   CONDA_BAZEL_DEMO_KEEP_SERVER  leave the Bazel server running, to query the workspace afterwards
//   CONDA_BAZEL_DEMO_DISK_CACHE   Bazel's --disk_cache (default: disk-cache in the demo's directory)
//   CONDA_BAZEL_DEMO_STARTUP_OPTIONS  Bazel startup options, separated by whitespace (the tests' lean JVM)
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { offlineRepositories } from "../test/support/bazel-offline.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cliScript = join(root, "bin", "conda-bazel.cjs");
const AARCH64 = "aarch64-unknown-linux-gnu";
const BAZEL_TARGETS = ["//:golib", "//cprog", "//pyprog", "//zprog"];
const CROSS_TARGETS = ["//:golib", "//cprog"];

class DemoFailed extends Error {}

function say(message) {
  process.stdout.write(`${message}\n`);
}

/** Runs a command (argument array, no shell); its output is returned, or shown when it fails. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...options });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.split("\n").filter((l) => !l.includes("linux-sandbox")).slice(-40).join("\n");
    throw new DemoFailed(`'${[command, ...args].join(" ")}' failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  }
  return result.stdout;
}

function conda(args, options = {}) {
  return run(process.execPath, [cliScript, ...args], options);
}

/** What the example's consumers print (cprog/main.c, pyprog/pyprog.py) for the name they greet. */
function expected(greeted) {
  const squares = Array.from({ length: 10 }, (_, i) => (i + 1) ** 2).reduce((a, b) => a + b);
  return ["Add(40, 2) = 42", `Greet = hello, ${greeted}`, "Midpoint = 2,4", `SumOfSquares(10) = ${squares}`].join("\n");
}

function check(what, output, greeted) {
  if (output.trim() !== expected(greeted)) throw new DemoFailed(`${what} printed:\n${output}\nexpected:\n${expected(greeted)}`);
}

function machine(file) {
  return run("file", ["-b", file]).split(",").slice(0, 2).join(",");
}

/** Bazel with its own output root; offline overrides where Bazel is Debian's 4.2.3 (no network). */
function bazelRunner(workspace, dir) {
  const startup = [`--output_user_root=${join(dir, "bazel-root")}`, ...(process.env.CONDA_BAZEL_DEMO_STARTUP_OPTIONS ?? "").split(/\s+/).filter(Boolean)];
  const flags = existsSync("/usr/share/bazel/rules/java") ? offlineRepositories(join(dir, "offline")) : [];
  return {
    run: (command, args) => run("bazel", [...startup, command, ...flags, "--disk_cache", process.env.CONDA_BAZEL_DEMO_DISK_CACHE || join(dir, "disk-cache"), ...args], { cwd: workspace }),
    shutdown: () => spawnSync("bazel", [...startup, "shutdown"], { cwd: workspace, stdio: "ignore" }),
  };
}

function copyOut(from, toDir) {
  mkdirSync(toDir, { recursive: true });
  const to = join(toDir, from.split("/").pop());
  cpSync(realpathSync(from), to);
  return to;
}

function main() {
  say("conda-bazel demo: installing what it needs (node scripts/ensure-deps.mjs)");
  run(process.execPath, [join(root, "scripts", "ensure-deps.mjs")], { stdio: ["ignore", "ignore", "inherit"] });

  const dir = process.env.CONDA_BAZEL_DEMO_DIR || mkdtempSync(join(tmpdir(), "conda-bazel-demo-"));
  mkdirSync(dir, { recursive: true });
  let prefix = process.env.CONDA_PREFIX;
  if (prefix) {
    say(`prefix: ${prefix} ($CONDA_PREFIX)`);
  } else {
    prefix = join(dir, "prefix");
    // Its Go in the layout of conda-forge's cross-built packages (go/bin/<goos>_<goarch>/go).
    run(process.execPath, [join(root, "scripts", "stand-in-prefix.mjs"), prefix, "--go-layout", "cross"]);
    say(`prefix: ${prefix}`);
    say("  $CONDA_PREFIX is not set, so this is the stand-in prefix: a conda env laid out as conda-forge's,");
    say("  whose compilers, Go, zlib, Python and numpy are Debian's. Activate your env and run again to use it.");
  }
  const env = JSON.parse(conda(["describe", "--prefix", prefix, "--json"]));

  cpSync(join(root, "examples"), join(dir, "examples"), { recursive: true, filter: (src) => !/\/bazel-[^/]*$|\/dist$|\.bazelrc\.conda$/.test(src) });
  const workspace = join(dir, "examples", "monorepo");
  say(`workspace: ${workspace} (a copy of examples/monorepo)`);
  conda(["init", "--prefix", prefix], { cwd: workspace });
  say("init: wrote .bazelrc, .bazelrc.conda, WORKSPACE, third_party/conda_bazel and recipe/conda_build_config.yaml");

  const out = join(dir, "out");
  const rows = [];
  const bazel = bazelRunner(workspace, dir);
  const host = env.toolchains.find((t) => t.subdir === env.subdir)?.target ?? "host";
  // pyext/npstats builds against the env's numpy (environment.yml lists it); an env without it skips pyext.
  const pyext = env.python?.numpyInclude ? ["//pyext:show"] : [];
  try {
    bazel.run("build", [...BAZEL_TARGETS, ...pyext]);
    const hostLib = copyOut(join(workspace, "bazel-bin", "libgolib.so"), join(out, "bazel", host));
    check("cprog (host)", run(join(workspace, "bazel-bin", "cprog", "cprog"), []), "bazel");
    check("pyprog (host)", bazel.run("run", ["//pyprog"]), "python");
    // zprog links the env's zlib through @conda//pkgs/zlib: it says which zlib it ran with.
    const zprog = run(join(workspace, "bazel-bin", "zprog", "zprog"), []).trim();
    if (!/^zlib \S+: \d+ bytes -> \d+ and back$/.test(zprog)) throw new DemoFailed(`zprog printed: ${zprog}`);
    rows.push(["bazel", host, hostLib, machine(hostLib), `cprog ok, pyprog (ctypes) ok, zprog (${zprog.split(":")[0]} from @conda//pkgs/zlib) ok`]);
    if (pyext.length) {
      const shown = bazel.run("run", pyext);
      const module = `npstats${env.python.extSuffix}`;
      if (!shown.includes("npstats.total(numpy.arange(10)) = 45\n") || !shown.includes(`module = ${module}\n`)) throw new DemoFailed(`//pyext:show printed:\n${shown}`);
      const file = copyOut(join(workspace, "bazel-bin", "pyext", module), join(out, "bazel", host));
      rows.push(["bazel", host, file, machine(file), "import npstats (numpy C API) ok, on the conda Python"]);
    } else {
      say("pyext: skipped, the env has no numpy (conda install numpy)");
    }

    bazel.run("build", [`--config=${AARCH64}`, ...CROSS_TARGETS]);
    const crossLib = copyOut(join(workspace, "bazel-bin", "libgolib.so"), join(out, "bazel", AARCH64));
    const cprog = copyOut(join(workspace, "bazel-bin", "cprog", "cprog"), join(out, "bazel", AARCH64));
    const sysroot = env.toolchains.find((t) => t.target === AARCH64)?.sysroot;
    if (!sysroot) throw new DemoFailed(`the env has no ${AARCH64} sysroot for qemu`);
    check("cprog (aarch64, qemu)", run("qemu-aarch64", ["-L", sysroot, "-E", `LD_LIBRARY_PATH=${dirname(crossLib)}`, cprog]), "bazel");
    rows.push(["bazel", AARCH64, crossLib, machine(crossLib), "cprog under qemu-aarch64 ok"]);
  } finally {
    if (!process.env.CONDA_BAZEL_DEMO_KEEP_SERVER) bazel.shutdown();
  }

  const dist = join(out, "go-build");
  const targets = env.toolchains.flatMap((t) => ["--target", t.target]);
  const manifest = JSON.parse(conda(["go-build", "golib", "--prefix", prefix, ...targets, "--out", dist, "--name", "golib", "--json"], { cwd: workspace }));
  for (const entry of manifest.targets) {
    const file = join(dist, entry.files.find((f) => !f.path.endsWith(".h")).path);
    let ran = "";
    if (entry.target === host && env.python) {
      check("pyprog.py (go-build, host)", run(env.python.interpreter, [join(workspace, "pyprog", "pyprog.py"), file]), "python");
      ran = "pyprog.py (ctypes) ok";
    }
    rows.push(["go-build", entry.target, file, machine(file), ran]);
  }

  say("\nbuilt:");
  const width = (i) => Math.max(...rows.map((r) => (i === 2 ? relative(dir, r[i]) : r[i]).length));
  for (const r of rows) {
    say(`  ${r[0].padEnd(width(0))}  ${r[1].padEnd(width(1))}  ${relative(dir, r[2]).padEnd(width(2))}  ${r[3].padEnd(width(3))}  ${r[4]}`);
  }
  say(`\nunder ${dir}; conda_build_config.yaml for the recipe: ${join(workspace, "recipe", "conda_build_config.yaml")}`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`demo failed: ${error instanceof DemoFailed ? error.message : error.stack}\n`);
  process.exitCode = 1;
}
