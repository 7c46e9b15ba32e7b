// The example monorepo with real Bazel 4.2.3: go_c_shared_library cross-built for aarch64 with
// the conda GOROOT and the resolved conda cc toolchain, a cc_binary linked against it running
// under qemu, the host build's Python program loading the host library, the same exported
// symbols as `conda-bazel go-build`, and a second checkout + prefix at other paths (other PATH,
// HOME, output root) taking every Go, compile and link action from the first one's disk cache.
import { execa } from "execa";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";
import { cleanEnv, cli, ROOT, tempDir } from "../cli/helpers.js";
import { Bazel, processCounts, requireBazel, rulesCcStub } from "../support/bazel.js";

const AARCH64 = "aarch64-unknown-linux-gnu";
const TARGETS = ["//:golib", "//cprog"];

/** The example (monorepo + the recipe its config points at) copied to `dir`, initialised. */
async function checkout(dir: string, prefix: string, cache: string): Promise<string> {
  cpSync(join(ROOT, "examples"), dir, { recursive: true, filter: (src) => !/\/bazel-[^/]*$|\/dist$|\.bazelrc\.conda$/.test(src) });
  const ws = join(dir, "monorepo");
  const result = await cli(["init", "--prefix", prefix], cleanEnv(cache), ws);
  if (result.exitCode !== 0) throw new Error(`init failed: ${result.stderr}`);
  return ws;
}

/** What the consumers print, computed from the inputs they pass (main.c, pyprog.py). */
function expectedOutput(greeted: string): string[] {
  const squares = Array.from({ length: 10 }, (_, i) => (i + 1) ** 2).reduce((a, b) => a + b);
  return ["Add(40, 2) = 42", `Greet = hello, ${greeted}`, "Midpoint = 2,4", `SumOfSquares(10) = ${squares}`];
}

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

async function elfMachine(path: string): Promise<string> {
  const { stdout } = await execa("readelf", ["-h", path]);
  return /Machine:\s+(.+)/.exec(stdout)![1]!.trim();
}

describe("example monorepo with real Bazel 4.2.3", () => {
  requireBazel();
  const root = tempDir("conda-bazel-monorepo-");
  const cache = join(root, "probe-cache");
  const stub = rulesCcStub(join(root, "rules_cc"));
  const diskCache = join(root, "disk-cache");
  const prefix = join(root, "env1");
  let ws: string;
  let bazel: Bazel;
  let otherBazel: Bazel | undefined;

  beforeAll(async () => {
    buildStandInPrefix(prefix, { subdirs: ["linux-64", "linux-aarch64"], filler: 2 });
    ws = await checkout(join(root, "one"), prefix, cache);
    bazel = new Bazel(ws, join(root, "out1"), stub);
  });

  afterAll(async () => {
    await bazel?.shutdown();
    await otherBazel?.shutdown();
  });

  it("cross-builds the Go library and a cc_binary on it for aarch64, which runs under qemu; go-build exports the same symbols", async () => {
    const build = await bazel.ok("build", [`--disk_cache=${diskCache}`, `--config=${AARCH64}`, ...TARGETS]);
    expect(processCounts(build.stderr)["linux-sandbox"]).toBeGreaterThan(0);
    const bin = join(ws, "bazel-bin");
    expect(await elfMachine(join(bin, "libgolib.so"))).toBe("AArch64");
    expect(await elfMachine(join(bin, "cprog", "cprog"))).toBe("AArch64");
    const run = await execa("qemu-aarch64", ["-L", join(prefix, "aarch64-conda-linux-gnu", "sysroot"), join(bin, "cprog", "cprog")]);
    expect(run.stdout.split("\n")).toEqual(expectedOutput("bazel"));

    // The Go action ran on the conda GOROOT and the resolved conda cross compiler.
    const aquery = await bazel.ok("aquery", [`--config=${AARCH64}`, "mnemonic(GoCShared, //:golib)"]);
    expect(aquery.stdout).toMatch(/CC=@@EXECROOT@@\/external\/conda\/aarch64-unknown-linux-gnu\/prefix\/bin\/aarch64-conda-linux-gnu-(gcc|cc)\b/);
    expect(aquery.stdout).toContain("GOROOT=@@EXECROOT@@/external/conda/go");
    expect(aquery.stdout).toContain("GOARCH=arm64");

    const out = join(root, "go-build");
    const goBuild = await cli(["go-build", join(ws, "golib"), "--prefix", prefix, "--target", AARCH64, "--out", out, "--name", "golib"], cleanEnv(cache));
    expect(goBuild.exitCode, goBuild.stderr).toBe(0);
    const exported = readFileSync(join(ws, "golib", "golib.go"), "utf8").match(/^\/\/export (\w+)$/gm)!.map((l) => l.slice("//export ".length)).sort();
    const bazelSymbols = await exportedFunctions(join(bin, "libgolib.so"));
    expect(bazelSymbols).toEqual(await exportedFunctions(join(out, AARCH64, "libgolib.so")));
    for (const name of exported) expect(bazelSymbols).toContain(name);
  });

  it("builds for the host, where the Python program loads the host library with ctypes", async () => {
    await bazel.ok("build", [`--disk_cache=${diskCache}`, ...TARGETS]);
    expect(await elfMachine(join(ws, "bazel-bin", "libgolib.so"))).toBe("Advanced Micro Devices X86-64");
    const run = await bazel.ok("run", [`--disk_cache=${diskCache}`, "//pyprog"]);
    expect(run.stdout.split("\n")).toEqual(expectedOutput("python"));
  });

  it("serves every Go, compile and link action of a relocated checkout and prefix from the disk cache", async () => {
    const prefix2 = join(root, "other env");
    buildStandInPrefix(prefix2, { subdirs: ["linux-64", "linux-aarch64"], filler: 2 });
    const ws2 = await checkout(join(root, "two"), prefix2, cache);
    const home = join(root, "home2");
    otherBazel = new Bazel(ws2, join(root, "out2"), stub, { PATH: `${home}/bin:/usr/local/bin:/usr/bin:/bin`, HOME: home });
    for (const config of [[`--config=${AARCH64}`], []]) {
      const build = await otherBazel.ok("build", [`--disk_cache=${diskCache}`, ...config, ...TARGETS]);
      const counts = processCounts(build.stderr);
      process.stderr.write(`relocated build ${config.join(" ") || "(host)"}: ${JSON.stringify(counts)}\n`);
      // Bazel 4.2.3 counts disk cache hits as "remote cache hit"; newer releases say "disk cache hit".
      expect(counts["remote cache hit"] ?? counts["disk cache hit"]).toBeGreaterThanOrEqual(4);
      expect(counts["linux-sandbox"] ?? 0).toBe(0);
      expect(counts.local ?? 0).toBe(0);
    }
  });
});
