// go-build with real tools: Debian's Go and cross gcc inside a stand-in conda prefix, qemu to run
// what was built for other machines, Python's ctypes on the host. One four-target build is
// shared by the assertions; further builds reuse its Go cache, which the run's go-build files share
// (test/support/shared-caches.ts).
import { execa } from "execa";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, cli, expectOneLine, ROOT, standInPrefix, tempDir } from "../cli/helpers.js";
import { sharedCacheDir } from "../support/shared-caches.js";

const GOLIB = join(ROOT, "examples", "monorepo", "golib");
const FIXTURES = join(import.meta.dirname, "fixtures");
const FOUR = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "powerpc64le-unknown-linux-gnu", "x86_64-pc-windows-gnu"];
const EXPECTED = "Add=42 Greet=hello, conda Midpoint=2,4 SumMapped=100";

interface Manifest {
  targets: { target: string; status: string; goos: string; goarch: string; files: { path: string; sha256: string; size: number }[]; error?: { output: string[] } }[];
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

let prefix: string;
let cache: string;
let out: string;
let first: Awaited<ReturnType<typeof cli>>;

beforeAll(async () => {
  prefix = standInPrefix({}, "conda env");
  cache = sharedCacheDir();
  out = join(tempDir(), "dist");
  first = await cli(["go-build", GOLIB, "--prefix", prefix, "--target", FOUR.join(","), "--out", out, "--json"], cleanEnv(cache));
});

describe("go-build, four targets in one call", () => {
  it("succeeds and prints only the manifest on stdout", () => {
    expect(first.exitCode, first.stderr).toBe(0);
    const manifest = JSON.parse(first.stdout) as Manifest;
    expect(manifest.targets.map((t) => [t.target, t.status])).toEqual(FOUR.map((t) => [t, "ok"]));
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe(`${first.stdout}\n`);
    for (const entry of manifest.targets) {
      for (const file of entry.files) expect(sha256(join(out, file.path)), file.path).toBe(file.sha256);
      // conda-bazel check on each library: the right machine, nothing past the sysroot's glibc.
      expect(entry.check, entry.target).toEqual({ glibc: entry.goos === "linux" ? "2.36" : null, findings: [] });
    }
  });

  it("writes a library for each machine with its SONAME, and a header beside it", async () => {
    const machines: Record<string, RegExp> = {
      "x86_64-unknown-linux-gnu/libgolib.so": /ELF 64-bit LSB shared object, x86-64/,
      "aarch64-unknown-linux-gnu/libgolib.so": /ELF 64-bit LSB shared object, ARM aarch64/,
      "powerpc64le-unknown-linux-gnu/libgolib.so": /ELF 64-bit LSB shared object, 64-bit PowerPC.*OpenPOWER ELF V2/,
      "x86_64-pc-windows-gnu/golib.dll": /PE32\+ executable \(DLL\).*x86-64, for MS Windows/,
    };
    for (const [file, machine] of Object.entries(machines)) {
      expect((await execa("file", ["-b", join(out, file)])).stdout, file).toMatch(machine);
      expect(existsSync(join(out, file.replace(/\.(so|dll)$/, ".h"))), `header of ${file}`).toBe(true);
      if (file.endsWith(".so")) {
        const dynamic = (await execa("readelf", ["-d", join(out, file)])).stdout;
        expect(dynamic).toMatch(/\(SONAME\)\s+Library soname: \[libgolib\.so\]/);
        expect(dynamic, "no build-machine rpath").not.toMatch(/RPATH|RUNPATH/);
      }
    }
    expect(readFileSync(join(out, "x86_64-pc-windows-gnu", "golib.h"), "utf8")).toContain("__declspec(dllexport)");
  });

  it("gives libraries a C program cross-compiled with the conda compilers runs under qemu", async () => {
    for (const [target, triplet, qemu] of [
      ["aarch64-unknown-linux-gnu", "aarch64-conda-linux-gnu", "qemu-aarch64"],
      ["powerpc64le-unknown-linux-gnu", "powerpc64le-conda-linux-gnu", "qemu-ppc64le"],
    ] as const) {
      const dir = join(out, target);
      const program = join(tempDir(), "consumer");
      await execa(join(prefix, "bin", `${triplet}-cc`), [join(FIXTURES, "consumer.c"), `-I${dir}`, `-L${dir}`, "-lgolib", "-o", program]);
      const run = await execa(qemu, ["-L", join(prefix, triplet, "sysroot"), "-E", `LD_LIBRARY_PATH=${dir}`, program]);
      expect(run.stdout, target).toBe(EXPECTED);
    }
  });

  it("gives an x86_64 library Python's ctypes loads and calls (the example monorepo's consumer)", async () => {
    const consumer = join(ROOT, "examples", "monorepo", "pyprog", "pyprog.py");
    const run = await execa(join(prefix, "bin", "python3"), [consumer, join(out, "x86_64-unknown-linux-gnu", "libgolib.so")]);
    expect(run.stdout).toBe("Add(40, 2) = 42\nGreet = hello, python\nMidpoint = 2,4\nSumOfSquares(10) = 385");
  });
});

describe("go-build isolation and reproducibility", () => {
  it("ignores a caller environment full of stray Go and C settings: same bytes", async () => {
    const goenv = join(tempDir(), "go.env");
    writeFileSync(goenv, "CGO_ENABLED=0\nGOFLAGS=-tags=stray\nCC=/bin/false\n");
    const stray = cleanEnv(cache, {
      GOOS: "windows", GOARCH: "mips", GOAMD64: "v3", GOPPC64: "power10", CGO_ENABLED: "0", CC: "/bin/false", CXX: "/bin/false",
      GOFLAGS: "-tags=stray -ldflags=-s", CGO_CFLAGS: "-DSTRAY=1", CGO_LDFLAGS: "-Wl,--gc-sections", CFLAGS: "-O0", LDFLAGS: "-Wl,-rpath,/stray",
      GOENV: goenv, GOROOT: "/nonexistent", GOTOOLCHAIN: "go1.99.0", GOPATH: "/nonexistent", PATH: `/nonexistent:${process.env.PATH}`,
    });
    const again = join(tempDir(), "dist");
    // A cross target: the stray GOOS, GOARCH and CC would each give it other bytes or no build.
    const target = "aarch64-unknown-linux-gnu";
    const run = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", target, "--out", again], stray);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(sha256(join(again, target, "libgolib.so"))).toBe(sha256(join(out, target, "libgolib.so")));
  });

  it("keeps building the other targets when one fails, and keeps the failed target's earlier library", async () => {
    // Another checkout of the package, at another path, with a compile error on linux/amd64 only.
    const checkout = join(tempDir(), "other checkout", "golib");
    cpSync(GOLIB, checkout, { recursive: true });
    writeFileSync(join(checkout, "broken_linux_amd64.go"), "//go:build linux && amd64\n\npackage main\n\nvar broken int = notDefinedAnywhere\n");
    const dist = join(tempDir(), "dist");
    const [failing, other] = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"] as const;
    const earlier = join(out, failing, "libgolib.so");
    mkdirSync(join(dist, failing), { recursive: true });
    cpSync(earlier, join(dist, failing, "libgolib.so"));

    // One at a time, the failing target first (the table's order): the other one builds after it.
    const run = await cli(["go-build", checkout, "--prefix", prefix, "-t", `${other},${failing}`, "--out", dist, "--jobs", "1"], cleanEnv(cache));
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`1 of 2 targets failed: ${failing}`));
    expect(run.stderr).toMatch(/undefined: notDefinedAnywhere/);
    const manifest = JSON.parse(readFileSync(join(dist, "manifest.json"), "utf8")) as Manifest;
    expect(manifest.targets.map((t) => `${t.target}: ${t.status}`)).toEqual([`${failing}: failed`, `${other}: ok`]);
    // The good target landed, byte-identical to the build from the first checkout path.
    expect(sha256(join(dist, other, "libgolib.so"))).toBe(sha256(join(out, other, "libgolib.so")));
    expect(sha256(join(dist, failing, "libgolib.so"))).toBe(sha256(earlier));
    expect(existsSync(join(dist, failing, "libgolib.h"))).toBe(false);
    expect(readdirSync(dist).filter((name) => name.startsWith("."))).toEqual([]);
  });
});

describe("go-build --jobs, --fail-fast and the progress lines", () => {
  /** The plain progress lines (stderr is not a terminal), as `<target>: <state>` without times. */
  const progress = (stderr: string) =>
    stderr.split("\n").flatMap((line) => /^conda-bazel: go-build (\S+): (building|done|failed|cancelled)/.exec(line)?.slice(1, 3).join(": ") ?? []);

  it("builds two targets at once with --jobs 2, and a Windows DLL from another checkout path has the same bytes", async () => {
    const checkout = join(tempDir(), "another checkout", "golib");
    cpSync(GOLIB, checkout, { recursive: true });
    const dist = join(tempDir(), "dist");
    const targets = ["x86_64-unknown-linux-gnu", "x86_64-pc-windows-gnu"];
    const run = await cli(["go-build", checkout, "--prefix", prefix, "-t", targets.join(","), "--out", dist, "--jobs", "2"], cleanEnv(cache));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(progress(run.stderr).slice(0, 2)).toEqual(targets.map((t) => `${t}: building`));
    expect(progress(run.stderr).slice(2).sort()).toEqual(targets.map((t) => `${t}: done`).sort());
    expect(run.stderr).toMatch(/conda-bazel: go-build x86_64-pc-windows-gnu: done in \d+\.\d s\n/);
    expect(sha256(join(dist, "x86_64-pc-windows-gnu", "golib.dll"))).toBe(sha256(join(out, "x86_64-pc-windows-gnu", "golib.dll")));
  });

  it("with --jobs 1 --fail-fast stops at the first failure and cancels the targets not yet built", async () => {
    const checkout = join(tempDir(), "broken checkout", "golib");
    cpSync(GOLIB, checkout, { recursive: true });
    writeFileSync(join(checkout, "broken_linux_amd64.go"), "//go:build linux && amd64\n\npackage main\n\nvar broken int = notDefinedAnywhere\n");
    const dist = join(tempDir(), "dist");
    const targets = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"];
    const run = await cli(["go-build", checkout, "--prefix", prefix, "-t", targets.join(","), "--out", dist, "--jobs", "1", "--fail-fast"], cleanEnv(cache));
    expect(run.exitCode, run.stderr).toBe(1);
    expect(progress(run.stderr)).toEqual(["x86_64-unknown-linux-gnu: building", "x86_64-unknown-linux-gnu: failed", "aarch64-unknown-linux-gnu: cancelled"]);
    expect(run.stderr).toContain("2 of 2 targets failed: x86_64-unknown-linux-gnu (failed), aarch64-unknown-linux-gnu (cancelled)");
    expect(existsSync(join(dist, "aarch64-unknown-linux-gnu", "libgolib.so"))).toBe(false);
  });
});

describe("go-build refuses what it cannot build, with one line and exit 2", () => {
  const refused = async (args: string[], prefixDir: string, pattern: RegExp) => {
    const dist = join(tempDir(), "dist");
    const run = await cli(["go-build", GOLIB, "--prefix", prefixDir, "--out", dist, ...args], cleanEnv(cache));
    expect(run.exitCode, run.stderr).toBe(2);
    expect(expectOneLine(run.stderr)).toMatch(pattern);
    expect(existsSync(dist), "nothing written").toBe(false);
  };

  it("an unknown target", () => refused(["-t", "mips-linux-gnu"], prefix, /unknown target 'mips-linux-gnu'/));

  it("a package directory that does not exist", async () => {
    const run = await cli(["go-build", join(tempDir(), "nowhere"), "--prefix", prefix, "-t", "linux-64"], cleanEnv(cache));
    expect(run.exitCode).toBe(2);
    expect(expectOneLine(run.stderr)).toMatch(/Go package directory .*nowhere does not exist/);
  });

  it("flags after -- that the driver owns", async () => {
    for (const extra of [["-o=x.so"], ["--o", "x.so"], ["-o", "x.so"], ["-buildmode=exe"], ["--buildmode", "pie"]]) {
      await refused(["-t", "linux-64", "--", ...extra], prefix, /cannot be passed to go build: conda-bazel sets -(o|buildmode) itself/);
    }
  });

  it("a prefix without Go, or without the target's compiler", async () => {
    await refused(["-t", "linux-64"], standInPrefix({ subdirs: ["linux-64"], go: "none", python: false }), /no Go in .*\(conda install -p .* go-cgo\)/);
    await refused(["-t", "linux-aarch64"], standInPrefix({ subdirs: ["linux-64"], python: false }), /aarch64-unknown-linux-gnu.*conda install .*gcc_linux-aarch64/);
  });
});
