// `npm run demo` on this machine (no $CONDA_PREFIX: the stand-in prefix), then the proofs about
// the example monorepo on what the demo built, so that its Bazel builds run once: real Bazel 4.2.3
// ran go_c_shared_library on the conda GOROOT and the resolved conda cross compiler, the
// Bazel-built and go-build-built libraries export the same functions, and rules_go's cgo platforms
// pair with the conda toolchains. That a relocated checkout and prefix take these Go, compile and
// link actions from a shared cache is test/bazel/remote-cache.test.ts's (the same monorepo and
// targets); the disk cache's, test/bazel/init-bazel.test.ts's.
import { execa } from "execa";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { cleanEnv, cli, ROOT, tempDir } from "./cli/helpers.js";
import { Bazel, leanJvmFlags, offlineRepositories, requireBazel } from "./support/bazel.js";
import { sharedCacheDir, sharedDiskCache } from "./support/shared-caches.js";

const AARCH64 = "aarch64-unknown-linux-gnu";
const HOST = "x86_64-unknown-linux-gnu";
const GO_BUILD_TARGETS = [HOST, AARCH64, "powerpc64le-unknown-linux-gnu", "x86_64-pc-windows-gnu"];

/** The functions a library exports (defined, global), as the real readelf lists them. */
async function exportedFunctions(library: string): Promise<string[]> {
  const { stdout } = await execa("readelf", ["--dyn-syms", "--wide", library]);
  return stdout
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[3] === "FUNC" && f[4] === "GLOBAL" && f[6] !== "UND")
    .map((f) => f[7]!.replace(/@.*/, ""))
    .sort();
}

describe("npm run demo, and the example monorepo it builds", () => {
  requireBazel();
  const dir = tempDir("conda-bazel-demo-test-");
  // The run's shared caches: the demo's Go standard library and go-build packages are those of
  // the other files that build the example monorepo and Go libraries.
  const cache = sharedCacheDir();
  const ws = join(dir, "examples", "monorepo");
  let demo: { exitCode: number | undefined; stdout: string; stderr: string };
  let bazel: Bazel;

  beforeAll(async () => {
    // A fresh shell: no conda env activated, so the demo assembles the stand-in prefix. Its Bazel
    // server stays up for the queries below (afterAll shuts it down).
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CONDA_BAZEL_CACHE_DIR: cache,
      CONDA_BAZEL_DEMO_DIR: dir,
      CONDA_BAZEL_DEMO_KEEP_SERVER: "1",
      CONDA_BAZEL_DEMO_DISK_CACHE: sharedDiskCache(),
      // The server the test's own Bazel below takes over: the same startup options, or it restarts.
      CONDA_BAZEL_DEMO_STARTUP_OPTIONS: leanJvmFlags.join(" "),
    };
    demo = await execa(process.execPath, [join(ROOT, "scripts", "demo.mjs")], { env, extendEnv: false, reject: false, cwd: ROOT });
    bazel = new Bazel(ws, join(dir, "bazel-root"), offlineRepositories(join(dir, "offline")));
  }, 900_000); // The whole demo: it compiles Go for aarch64 and go-build's four targets, the most of any file.

  afterAll(async () => {
    await bazel?.shutdown();
  });

  it("runs green and reports what it built where", () => {
    expect(demo.exitCode, `${demo.stdout}\n${demo.stderr}`).toBe(0);
    expect(demo.stdout).toContain("stand-in prefix");
    const rows = demo.stdout.split("\n").filter((l) => /^\s+(bazel|go-build)\s/.test(l));
    // The host's library, then its Python extension module, then aarch64's library.
    expect(rows.filter((r) => r.trim().startsWith("bazel ")).map((r) => r.trim().split(/\s+/)[1])).toEqual([HOST, HOST, AARCH64]);
    expect(rows.find((r) => r.includes("npstats.cpython-"))).toMatch(/x86-64.*import npstats \(numpy C API\) ok, on the conda Python/);
    expect(rows.filter((r) => r.trim().startsWith("go-build ")).map((r) => r.trim().split(/\s+/)[1])).toEqual(GO_BUILD_TARGETS);
    expect(rows.find((r) => r.includes(`bazel     ${AARCH64}`))).toContain("ARM aarch64");
    expect(rows.find((r) => r.includes(`bazel     ${AARCH64}`))).toContain("cprog under qemu-aarch64 ok");
    expect(rows.find((r) => r.includes(`bazel     ${HOST}`))).toContain("pyprog (ctypes) ok");
    // zprog ran on the env's zlib, a declared dep (@conda//pkgs/zlib).
    expect(rows.find((r) => r.includes(`bazel     ${HOST}`))).toMatch(/zprog \(zlib \S+ from @conda\/\/pkgs\/zlib\) ok/);
  });

  it("built the aarch64 library with the conda GOROOT and the conda cross compiler Bazel resolved", async () => {
    const aquery = await bazel.ok("aquery", [`--config=${AARCH64}`, "mnemonic(GoCShared, //:golib)"]);
    expect(aquery.stdout).toMatch(/CC=@@EXECROOT@@\/external\/conda\/aarch64-unknown-linux-gnu\/prefix\/bin\/aarch64-conda-linux-gnu-(gcc|cc)\b/);
    expect(aquery.stdout).toContain("GOROOT=@@EXECROOT@@/external/conda/go");
    expect(aquery.stdout).toContain("GOARCH=arm64");
    // The stand-in's Go is laid out as conda-forge's cross-built packages are.
    expect(aquery.stdout).toContain("external/conda/go/bin/linux_amd64/go");
  });

  it("exports the same functions from the Bazel-built and the go-build-built aarch64 library", async () => {
    const bazelSymbols = await exportedFunctions(join(dir, "out", "bazel", AARCH64, "libgolib.so"));
    expect(bazelSymbols).toEqual(await exportedFunctions(join(dir, "out", "go-build", AARCH64, "libgolib.so")));
    const exported = readFileSync(join(ws, "golib", "golib.go"), "utf8").match(/^\/\/export (\w+)$/gm)!.map((l) => l.slice("//export ".length));
    for (const name of exported) expect(bazelSymbols).toContain(name);
  });

  it("with init.rulesGo, pairs each rules_go cgo platform with the conda cc and Go toolchains of its target", async () => {
    // rules_go cannot be fetched here: a repository with only its cgo constraint (go/toolchain) stands in.
    const rulesGo = join(dir, "rules_go");
    mkdirSync(join(rulesGo, "go", "toolchain"), { recursive: true });
    writeFileSync(join(rulesGo, "WORKSPACE"), 'workspace(name = "io_bazel_rules_go")\n');
    writeFileSync(
      join(rulesGo, "go", "toolchain", "BUILD.bazel"),
      [
        'constraint_setting(name = "cgo_constraint", default_constraint_value = ":cgo_off", visibility = ["//visibility:public"])',
        'constraint_value(name = "cgo_on", constraint_setting = ":cgo_constraint", visibility = ["//visibility:public"])',
        'constraint_value(name = "cgo_off", constraint_setting = ":cgo_constraint", visibility = ["//visibility:public"])',
        "",
      ].join("\n"),
    );
    const config = join(dir, "rules-go.yaml");
    const own = parse(readFileSync(join(ws, "conda-bazel.yaml"), "utf8")) as { init: object };
    writeFileSync(config, stringify({ ...own, init: { ...own.init, rulesGo: true } }));
    const init = await cli(["init", "--prefix", join(dir, "prefix"), "--config", config], cleanEnv(cache), ws);
    expect(init.exitCode, init.stderr).toBe(0);
    const query = await bazel.ok("cquery", [`--override_repository=io_bazel_rules_go=${rulesGo}`, `--platforms=//third_party/conda_rules_go:${AARCH64}_cgo`, "deps(//cprog)"]);
    expect(query.stdout).toContain(`@conda//${AARCH64}:cc `);
    expect(query.stdout).toContain(`@conda//:${AARCH64}_go `);
  });
});
