// go-build on a hostile or careless checkout (issue 9): committed symlinks in the output
// directory, a temp dir on another filesystem, unsafe goBuild.args in conda-bazel.yaml, signals,
// relative cache paths, TMPDIR inside the package, failed targets and odd paths. Real Go, real
// cross gcc in a stand-in prefix; one warm Go cache shared by the builds.
import { execa } from "execa";
import { createHash } from "node:crypto";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, cli, expectOneLine, ROOT, standInPrefix, tempDir } from "../cli/helpers.js";
import { sharedCacheDir } from "../support/shared-caches.js";

const GOLIB = join(ROOT, "examples", "monorepo", "golib");
const LINUX = "x86_64-unknown-linux-gnu";
const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

interface Manifest {
  targets: { target: string; status: string; files: { path: string; sha256: string; size: number; stale?: boolean }[] }[];
}

let prefix: string;
let cache: string;
let reference: string;

/** A copy of golib in a fresh directory (named golib, so the library is libgolib.so). */
function checkout(): string {
  const dir = join(tempDir(), "golib");
  cpSync(GOLIB, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"], python: false });
  cache = sharedCacheDir();
  const out = join(tempDir(), "dist");
  const run = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", LINUX, "--out", out], cleanEnv(cache));
  if (run.exitCode !== 0) throw new Error(`reference build failed:\n${run.stderr}`);
  reference = join(out, LINUX, "libgolib.so");
});

describe("item 3: outputs are replaced by rename, never written through a link", () => {
  it("leaves the file a committed dist/<target>/libgolib.so link points at untouched, with TMPDIR on another file system", async () => {
    // The dist below is in the usual temp dir: npm test puts that on /dev/shm, a file run alone on
    // the disk. TMPDIR goes to the other one, so that a rename from it into dist could not work.
    const onTmpfs = statSync(tmpdir()).dev === statSync("/dev/shm").dev;
    const otherTmp = mkdtempSync(onTmpfs ? "/var/tmp/conda-bazel-" : "/dev/shm/conda-bazel-");
    try {
      expect(statSync(otherTmp).dev, "TMPDIR on another file system than dist").not.toBe(statSync(tmpdir()).dev);
      const outside = join(tempDir(), "outside.so");
      cpSync(reference, outside); // An object file: go would copy over it rather than refuse.
      writeFileSync(outside, Buffer.concat([readFileSync(outside), Buffer.from("outside")]));
      const before = sha256(outside);
      const dist = join(tempDir(), "dist");
      mkdirSync(join(dist, LINUX), { recursive: true });
      symlinkSync(outside, join(dist, LINUX, "libgolib.so"));
      // Leftovers of a killed run are swept; a live run's staging is not.
      const dead = join(dist, `.${LINUX}.tmp-4194305-abcdef`);
      const live = join(dist, `.${LINUX}.tmp-${process.pid}-abcdef`);
      mkdirSync(dead);
      mkdirSync(live);

      const run = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", LINUX, "--out", dist], cleanEnv(cache, { TMPDIR: otherTmp }));
      expect(run.exitCode, run.stderr).toBe(0);
      expect(sha256(outside), "the outside file").toBe(before);
      expect(lstatSync(join(dist, LINUX, "libgolib.so")).isFile(), "a regular file replaced the link").toBe(true);
      expect(sha256(join(dist, LINUX, "libgolib.so"))).toBe(sha256(reference));
      expect(existsSync(dead), "dead run's staging swept").toBe(false);
      expect(existsSync(live), "live run's staging kept").toBe(true);
      expect(readdirSync(dist).filter((n) => n.startsWith(".") && n !== basename(live))).toEqual([]);
    } finally {
      rmSync(otherTmp, { recursive: true, force: true });
    }
  });

  it("refuses a target directory or an output directory that is a link, or a config file's out outside, before building anything", async () => {
    const outsideDir = tempDir();
    writeFileSync(join(outsideDir, "keep"), "mine");
    const dist = join(tempDir(), "dist");
    mkdirSync(dist);
    symlinkSync(outsideDir, join(dist, LINUX));
    let run = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", LINUX, "--out", dist], cleanEnv(cache));
    expect(run.exitCode).toBe(2);
    expect(expectOneLine(run.stderr)).toMatch(/the target directory .*x86_64-unknown-linux-gnu is a symbolic link/);

    const ws = tempDir();
    symlinkSync(outsideDir, join(ws, "dist"));
    run = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", LINUX], cleanEnv(cache), ws);
    expect(run.exitCode).toBe(2);
    expect(expectOneLine(run.stderr)).toMatch(/the output directory .*dist is a symbolic link/);
    writeFileSync(join(ws, "conda-bazel.yaml"), `goBuild:\n  out: ${outsideDir}\n`);
    run = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", LINUX], cleanEnv(cache), ws);
    expect(run.exitCode).toBe(2);
    expect(expectOneLine(run.stderr)).toMatch(/goBuild\.out in the config file leads outside the working directory/);
    expect(readdirSync(outsideDir)).toEqual(["keep"]);
    expect(readdirSync(dist)).toEqual([LINUX]);
  });
});

describe("item 9: goBuild.args from a committed conda-bazel.yaml", () => {
  it("refuses -toolexec and its kind with one line, and accepts them after -- on the command line", async () => {
    const ws = tempDir();
    const marker = join(ws, "ran");
    for (const args of [["-toolexec", `/bin/sh -c 'touch ${marker}'`], ["-overlay=/etc/overlay.json"], ["-gcflags=all=-cpuprofile=/tmp/x"], ["-ldflags=-extld=/tmp/evil"], ["./other"]]) {
      writeFileSync(join(ws, "conda-bazel.yaml"), `goBuild:\n  args: ${JSON.stringify(args)}\n`);
      const run = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", LINUX], cleanEnv(cache), ws);
      expect(run.exitCode, args.join(" ")).toBe(2);
      expect(expectOneLine(run.stderr)).toMatch(/goBuild\.args in the config file may not pass .*\(pass it on the command line after -- if you trust it\)/);
    }
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(ws, "dist"))).toBe(false);

    writeFileSync(join(ws, "conda-bazel.yaml"), `goBuild:\n  args: ["-tags", "netgo", "-ldflags=-s -w -X main.v=1"]\n`);
    const allowed = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", LINUX], cleanEnv(cache), ws);
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    // -overlay (an empty one) rather than -toolexec, which would make Go rebuild everything.
    writeFileSync(join(ws, "overlay.json"), '{"Replace": {}}');
    const trusted = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", LINUX, "--out", "cli", "--", `-overlay=${join(ws, "overlay.json")}`], cleanEnv(cache), ws);
    expect(trusted.exitCode, trusted.stderr).toBe(0);
  });
});

/** Processes whose environment carries `needle` (go build and everything it started). */
function processesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`).includes(needle)) pids.push(Number(pid));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

describe("item 13: go-build stopped by a signal", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`on ${signal} ends every go build process, removes its staging and dies of the signal`, async () => {
      const coldCache = tempDir(); // Cold: the builds are still running when the signal comes.
      const tmp = tempDir(); // go-build's TMPDIR, where go's work directories go.
      const dist = join(tempDir(), "dist");
      mkdirSync(join(dist, LINUX), { recursive: true });
      cpSync(reference, join(dist, LINUX, "libgolib.so"));
      const child = execa(process.execPath, [BIN, "go-build", GOLIB, "--prefix", prefix, "-t", `${LINUX},aarch64-unknown-linux-gnu`, "--out", dist], {
        env: cleanEnv(coldCache, { TMPDIR: tmp }), extendEnv: false, reject: false,
      });
      const marker = `GOCACHE=${join(coldCache, "go", "build")}`;
      const deadline = Date.now() + 60_000;
      // The count seen when the loop ends: go's tools come and go, so a second look may see fewer.
      let running = 0;
      while ((running = processesWith(marker).length) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(running, "go build and its tools are running").toBeGreaterThanOrEqual(3);
      child.kill(signal);
      const result = await child;
      expect(result.signal, result.stderr).toBe(signal);
      expect(result.stderr).toMatch(new RegExp(`interrupted by ${signal}`));
      await new Promise((r) => setTimeout(r, 500));
      expect(processesWith(marker), "no process of the build left").toEqual([]);
      expect(readdirSync(dist).filter((n) => n.startsWith(".")), "no staging left").toEqual([]);
      expect(readdirSync(tmp), "no work directory of go's left").toEqual([]);
      expect(sha256(join(dist, LINUX, "libgolib.so")), "earlier library kept").toBe(sha256(reference));
      const manifest = JSON.parse(readFileSync(join(dist, "manifest.json"), "utf8")) as Manifest;
      expect(manifest.targets.map((t) => t.status)).toEqual(["cancelled", "cancelled"]);
      expect(manifest.targets[0]!.files).toEqual([{ path: `${LINUX}/libgolib.so`, sha256: sha256(reference), size: readFileSync(reference).length, stale: true }]);
    });
  }
});

describe("item 17: relative cache directories", () => {
  it("takes a relative CONDA_BAZEL_CACHE_DIR from the working directory", async () => {
    const out = join(tempDir(), "dist");
    const run = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", LINUX, "--out", out], cleanEnv(basename(cache)), dirname(cache));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(sha256(join(out, LINUX, "libgolib.so"))).toBe(sha256(reference));
  });

  it("ignores a relative XDG_CACHE_HOME, as the XDG spec says", async () => {
    const home = tempDir();
    const cwd = tempDir();
    const run = await cli(["describe", "--prefix", prefix], { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: "rel-cache" }, cwd);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(existsSync(join(cwd, "rel-cache")), "nothing under the cwd").toBe(false);
    expect(readdirSync(join(home, ".cache", "conda-bazel")).some((n) => n.startsWith("probe-"))).toBe(true);
  });
});

describe("item 18: TMPDIR inside the package directory", () => {
  it("does not change the library's bytes", async () => {
    // A package source of its own, so its cgo step runs now and is not taken from Go's cache.
    const pkg = checkout();
    writeFileSync(join(pkg, "unique.go"), `package main\n\nconst unique = "${createHash("sha256").update(String(Math.random())).digest("hex")}"\n`);
    mkdirSync(join(pkg, "tmp"));
    const inside = join(tempDir(), "dist");
    let run = await cli(["go-build", pkg, "--prefix", prefix, "-t", LINUX, "--out", inside], cleanEnv(cache, { TMPDIR: join(pkg, "tmp") }));
    expect(run.exitCode, run.stderr).toBe(0);
    const library = readFileSync(join(inside, LINUX, "libgolib.so"));
    expect(library.includes("go-build"), "no Go work path in the library").toBe(false);
    const outside = join(tempDir(), "dist");
    run = await cli(["go-build", pkg, "--prefix", prefix, "-t", LINUX, "--out", outside], cleanEnv(cache));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(sha256(join(outside, LINUX, "libgolib.so"))).toBe(sha256(join(inside, LINUX, "libgolib.so")));
  });
});

describe("items 19 and 22: failed targets and odd paths", () => {
  it("lists the earlier library of a failed target in the manifest, marked stale", async () => {
    const pkg = checkout();
    writeFileSync(join(pkg, "broken_amd64.go"), "//go:build amd64\n\npackage main\n\nvar broken int = notDefinedAnywhere\n");
    const dist = join(tempDir(), "dist");
    mkdirSync(join(dist, LINUX), { recursive: true });
    cpSync(reference, join(dist, LINUX, "libgolib.so"));
    const run = await cli(["go-build", pkg, "--prefix", prefix, "-t", LINUX, "--out", dist], cleanEnv(cache));
    expect(run.exitCode).toBe(1);
    const manifest = JSON.parse(readFileSync(join(dist, "manifest.json"), "utf8")) as Manifest;
    expect(manifest.targets[0]!.status).toBe("failed");
    expect(manifest.targets[0]!.files).toEqual([{ path: `${LINUX}/libgolib.so`, sha256: sha256(reference), size: readFileSync(reference).length, stale: true }]);
  });

  it("refuses a prefix with a line break and --out that is a file, with one escaped line and exit 2", async () => {
    const odd = `${tempDir()}/new\nline\u001b[31m`;
    mkdirSync(join(odd, "conda-meta"), { recursive: true });
    let run = await cli(["go-build", GOLIB, "--prefix", odd, "-t", LINUX, "--out", join(tempDir(), "dist")], cleanEnv(cache));
    expect(run.exitCode).toBe(2);
    const line = expectOneLine(run.stderr);
    expect(line).toMatch(/the conda prefix .*new\\nline\\u001b\[31m contains a line break/);
    expect(line).not.toMatch(/\u001b/);

    const file = join(tempDir(), "dist");
    writeFileSync(file, "not a directory");
    run = await cli(["go-build", GOLIB, "--prefix", prefix, "-t", LINUX, "--out", file], cleanEnv(cache));
    expect(run.exitCode).toBe(2);
    expect(expectOneLine(run.stderr)).toMatch(/the output directory .*dist exists and is not a directory/);
    expect(readFileSync(file, "utf8")).toBe("not a directory");
  });
});
