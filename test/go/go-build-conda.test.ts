// go-build against what conda-forge envs really hold: a cgo package that includes and links the
// env's zlib (header and library only reachable through the activation's -isystem/-L flags),
// and a go-nocgo Go (with the defaults go-feedstock's make.bash gives it; test/support/go-nocgo.mjs)
// that go-build turns cgo on for.
import { execa } from "execa";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, cli, ROOT, standInPrefix, tempDir } from "../cli/helpers.js";
import { sharedCacheDir } from "../support/shared-caches.js";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { nocgoGoroot } from "../support/go-nocgo.mjs";

const ZLIBVERSION = join(import.meta.dirname, "fixtures", "zlibversion");
const GOLIB = join(ROOT, "examples", "monorepo", "golib");
const cache = sharedCacheDir();

/** The env's zlib version, from its conda-meta record. */
function zlibRecordVersion(prefix: string): string {
  const file = readdirSync(join(prefix, "conda-meta")).find((f) => /^zlib-\d/.test(f))!;
  return (JSON.parse(readFileSync(join(prefix, "conda-meta", file), "utf8")) as { version: string }).version;
}

describe("go-build with the env's own libraries", () => {
  it("builds a cgo library that includes and links the env's zlib, and it reports that zlib's version when loaded", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"] }, "conda env");
    const out = join(tempDir(), "dist");
    const run = await cli(["go-build", ZLIBVERSION, "--prefix", prefix, "-t", "linux-64", "--out", out], cleanEnv(cache));
    expect(run.exitCode, run.stderr).toBe(0);
    const library = join(out, "x86_64-unknown-linux-gnu", "libzlibversion.so");
    expect((await execa("readelf", ["-d", library])).stdout).toMatch(/\(NEEDED\)\s+Shared library: \[libz\.so\.1\]/);
    const load = "import ctypes, sys; f = ctypes.CDLL(sys.argv[1]).ZlibVersion; f.restype = ctypes.c_char_p; print(f().decode())";
    const loaded = await execa(join(prefix, "bin", "python3"), ["-c", load, library], { env: { LD_LIBRARY_PATH: join(prefix, "lib") }, extendEnv: false });
    expect(loaded.stdout).toBe(zlibRecordVersion(prefix));
  });
});

describe("go-build with go-nocgo", () => {
  let prefix: string;
  beforeAll(async () => {
    prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"], go: "nocgo", goroot: await nocgoGoroot() });
  });

  it("has the defaults of a toolchain built with CGO_ENABLED=0 CC=/dev/null", async () => {
    const goEnv = await execa(join(prefix, "bin", "go"), ["env", "CGO_ENABLED", "CC"], { env: { PATH: "/usr/bin:/bin", HOME: tempDir(), GOTOOLCHAIN: "local" }, extendEnv: false });
    expect(goEnv.stdout.split("\n")).toEqual(["0", "/dev/null"]);
  });

  it("builds C shared libraries for every target with a C compiler, which load and run", async () => {
    const out = join(tempDir(), "dist");
    const run = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", "linux-64,linux-aarch64", "--out", out, "--json"], cleanEnv(cache));
    expect(run.exitCode, run.stderr).toBe(0);
    const manifest = JSON.parse(run.stdout) as { targets: { target: string; status: string }[] };
    expect(manifest.targets.map((t) => [t.target, t.status])).toEqual([
      ["x86_64-unknown-linux-gnu", "ok"],
      ["aarch64-unknown-linux-gnu", "ok"],
    ]);
    expect((await execa("file", ["-b", join(out, "aarch64-unknown-linux-gnu", "libgolib.so")])).stdout).toMatch(/ELF 64-bit LSB shared object, ARM aarch64/);
    const consumer = join(ROOT, "examples", "monorepo", "pyprog", "pyprog.py");
    const used = await execa(join(prefix, "bin", "python3"), [consumer, join(out, "x86_64-unknown-linux-gnu", "libgolib.so")]);
    expect(used.stdout).toContain("Add(40, 2) = 42");
  });
});
