// `conda-bazel check` on real binaries: built here by Debian's gcc, its aarch64 and ppc64le cross
// gcc and mingw, one planted for the wrong target, one with a temp-dir RUNPATH, one needing a
// newer glibc than the sysroot, one linked with -z execstack, and ones whose PT_GNU_STACK is
// removed (what that means differs by architecture).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, cli, expectOneLine, standInPrefix, tempDir } from "../cli/helpers.js";

const cache = tempDir("conda-bazel-cache-");
const dir = tempDir("conda-bazel-check-");
const env = cleanEnv(cache);
const file = (name: string) => join(dir, name);

function compile(compiler: string, output: string, ...flags: string[]): void {
  try {
    execFileSync(compiler, [file("hello.c"), "-o", file(output), ...flags], { stdio: "pipe" });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new Error(missing ? `${compiler} is missing: run node scripts/ensure-deps.mjs` : String((error as { stderr?: Buffer }).stderr ?? error));
  }
}

/** A copy of `from` whose PT_GNU_STACK program header is made PT_NULL (64-bit little-endian ELF). */
function withoutGnuStack(from: string, to: string): void {
  const bytes = readFileSync(file(from));
  const [phoff, phentsize, phnum] = [Number(bytes.readBigUInt64LE(32)), bytes.readUInt16LE(54), bytes.readUInt16LE(56)];
  let found = false;
  for (let i = 0; i < phnum; i++) {
    if (bytes.readUInt32LE(phoff + i * phentsize) !== 0x6474e551) continue;
    bytes.writeUInt32LE(0, phoff + i * phentsize);
    found = true;
  }
  if (!found) throw new Error(`${from} has no PT_GNU_STACK to remove`);
  writeFileSync(file(to), bytes);
}

let prefix: string;

beforeAll(() => {
  writeFileSync(file("hello.c"), '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n');
  compile("gcc", "x86_64");
  compile("gcc", "libx86_64.so", "-shared", "-fPIC");
  compile("aarch64-linux-gnu-gcc", "aarch64");
  compile("powerpc64le-linux-gnu-gcc", "ppc64le");
  compile("x86_64-w64-mingw32-gcc", "hello.exe");
  compile("gcc", "rpath-tmp", "-Wl,-rpath,/tmp/conda-bazel-build/lib:$ORIGIN/../lib");
  compile("gcc", "execstack", "-Wl,-z,execstack");
  withoutGnuStack("x86_64", "x86_64-unmarked");
  withoutGnuStack("aarch64", "aarch64-unmarked");
  writeFileSync(file("script.sh"), "#!/bin/sh\necho hi\n");
  // sysroot_linux-64 and sysroot_linux-aarch64 2.36: Debian 12's glibc, which the stand-in uses.
  prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"], go: "none", python: false });
}, 120_000);

describe("conda-bazel check: clean files", () => {
  it("passes each target's own binaries, glibc judged against the prefix's sysroot", async () => {
    for (const [target, name] of [
      ["linux-64", "x86_64"],
      ["linux-64", "libx86_64.so"],
      ["linux-aarch64", "aarch64"],
      ["linux-ppc64le", "ppc64le"],
      ["win-64", "hello.exe"],
    ] as const) {
      const run = await cli(["check", "--target", target, "--prefix", prefix, file(name)], env);
      expect(run.stderr, name).toBe("");
      expect(run.exitCode, name).toBe(0);
      expect(run.stdout, name).toMatch(/^1 file checked for \S+.*: no findings$/);
      if (target === "linux-64" || target === "linux-aarch64") expect(run.stdout).toContain("glibc <= 2.36");
    }
  });

  it("takes the target from conda-build's target_platform and says when glibc went unchecked", async () => {
    const run = await cli(["check", file("aarch64")], { ...env, target_platform: "linux-aarch64" });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("1 file checked for aarch64-unknown-linux-gnu, glibc not checked (pass --glibc X.Y or --prefix of the env holding the sysroot): no findings");
  });
});

describe("conda-bazel check: findings, one line each, exit 1", () => {
  const lines = (stdout: string) => stdout.trimEnd().split("\n");

  it("an x86_64 file planted in an aarch64 build", async () => {
    const run = await cli(["check", "-t", "linux-aarch64", "--glibc", "2.36", file("aarch64"), file("x86_64")], env);
    expect(run.exitCode).toBe(1);
    expect(lines(run.stdout)).toEqual([
      `${file("x86_64")}: is ELF 64-bit code for x86_64-unknown-linux-gnu, not for aarch64-unknown-linux-gnu (fix: build it with the aarch64-unknown-linux-gnu compiler (aarch64-conda-linux-gnu-cc); a tool run only at build time does not belong in the package)`,
      "1 finding in 2 files checked for aarch64-unknown-linux-gnu, glibc <= 2.36",
    ]);
  });

  it("a PE file in a linux build, a ppc64le file in an x86_64 one", async () => {
    const run = await cli(["check", "-t", "linux-64", "--glibc", "2.36", file("hello.exe"), file("ppc64le")], env);
    expect(run.exitCode).toBe(1);
    expect(lines(run.stdout).slice(0, 2).map((l) => l.split(" (fix:")[0])).toEqual([
      `${file("hello.exe")}: is PE 64-bit code for x86_64-pc-windows-gnu, not for x86_64-unknown-linux-gnu`,
      `${file("ppc64le")}: is ELF 64-bit code for powerpc64le-unknown-linux-gnu, not for x86_64-unknown-linux-gnu`,
    ]);
  });

  it("a RUNPATH into a temp dir, not the $ORIGIN-relative entry beside it", async () => {
    const run = await cli(["check", "-t", "linux-64", "--prefix", prefix, file("rpath-tmp")], env);
    expect(run.exitCode).toBe(1);
    expect(lines(run.stdout)[0]).toBe(
      `${file("rpath-tmp")}: RUNPATH entry '/tmp/conda-bazel-build/lib' is in the temp dir /tmp, a build path that does not exist where the package is installed (fix: use $ORIGIN-relative paths or the install prefix in -Wl,-rpath)`,
    );
    expect(lines(run.stdout)).toHaveLength(2);
  });

  it("a RUNPATH into BUILD_PREFIX, as conda-build sets it", async () => {
    const build = tempDir("conda-bazel-bp-");
    compile("gcc", "rpath-build", `-Wl,-rpath,${build}/lib`);
    const run = await cli(["check", "-t", "linux-64", "--glibc", "2.36", file("rpath-build")], { ...env, BUILD_PREFIX: build });
    expect(run.exitCode).toBe(1);
    expect(lines(run.stdout)[0]).toContain(`RUNPATH entry '${build}/lib' is in BUILD_PREFIX ${build}, a build path`);
  });

  it("a binary needing GLIBC_2.34 against a 2.17 sysroot, naming the symbol", async () => {
    const run = await cli(["check", "-t", "linux-64", "--glibc", "2.17", file("x86_64")], env);
    expect(run.exitCode).toBe(1);
    expect(lines(run.stdout)[0]).toBe(
      `${file("x86_64")}: needs GLIBC_2.34 (__libc_start_main@GLIBC_2.34), newer than the sysroot's glibc 2.17 (c_stdlib_version) (fix: link it with x86_64-conda-linux-gnu-cc against the conda sysroot (sysroot_linux-64 2.17), not the build machine's libc, or raise c_stdlib_version to 2.34)`,
    );
    // The same file is clean against a 2.34 sysroot.
    expect((await cli(["check", "-t", "linux-64", "--glibc", "2.34", file("x86_64")], env)).exitCode).toBe(0);
  });

  it("an executable stack asked for with -z execstack", async () => {
    const run = await cli(["check", "-t", "linux-64", "--glibc", "2.36", file("execstack")], env);
    expect(run.exitCode).toBe(1);
    expect(lines(run.stdout)[0]).toBe(
      `${file("execstack")}: has an executable stack (PT_GNU_STACK with PF_X) (fix: link with -Wl,-z,noexecstack and give assembly sources a .note.GNU-stack section)`,
    );
  });

  it("no PT_GNU_STACK: an executable stack on x86_64, not on aarch64 (glibc's DEFAULT_STACK_PERMS)", async () => {
    const x86 = await cli(["check", "-t", "linux-64", "--glibc", "2.36", file("x86_64-unmarked")], env);
    expect(x86.exitCode).toBe(1);
    expect(lines(x86.stdout)[0]).toContain("has no PT_GNU_STACK, so glibc on x86_64-unknown-linux-gnu gives it an executable stack");
    expect((await cli(["check", "-t", "linux-aarch64", "--glibc", "2.36", file("aarch64-unmarked")], env)).exitCode).toBe(0);
  });

  it("--json: the images and findings of each file", async () => {
    const run = await cli(["check", "-t", "linux-64", "--glibc", "2.17", "--json", file("rpath-tmp")], env);
    expect(run.exitCode).toBe(1);
    const doc = JSON.parse(run.stdout) as { target: string; glibc: string; files: { images: { code: string; glibc: string; runPaths: unknown[]; stack: string }[]; findings: { check: string }[] }[] };
    expect(doc.target).toBe("x86_64-unknown-linux-gnu");
    expect(doc.glibc).toBe("2.17");
    expect(doc.files[0]!.images[0]).toEqual({
      format: "elf",
      code: "ELF 64-bit code for x86_64-unknown-linux-gnu",
      glibc: "2.34",
      runPaths: [
        { kind: "RUNPATH", path: "/tmp/conda-bazel-build/lib" },
        { kind: "RUNPATH", path: "$ORIGIN/../lib" },
      ],
      stack: "non-executable",
    });
    expect(doc.files[0]!.findings.map((f) => f.check)).toEqual(["glibc", "rpath"]);
  });
});

describe("conda-bazel check: bad input, exit 2", () => {
  it("refuses a script, a directory, a FIFO, an unknown target, a bad --glibc and no files, in one line", async () => {
    const fifo = file("fifo");
    execFileSync("mkfifo", [fifo]);
    for (const [args, message] of [
      [["-t", "linux-64", file("script.sh")], `conda-bazel: ${file("script.sh")} is not an ELF, PE or Mach-O file (name only built executables and libraries)`],
      [["-t", "linux-64", dir], `conda-bazel: ${dir} is a directory, not a regular file (name the built binaries themselves)`],
      [["-t", "linux-64", fifo], `conda-bazel: ${fifo} is a FIFO, not a regular file (name the built binaries themselves)`],
      [["-t", "mips", file("x86_64")], "conda-bazel: unknown target 'mips' (run 'conda-bazel targets' for the list)"],
      [["-t", "linux-64", "--glibc", "new", file("x86_64")], "conda-bazel: --glibc must be a version like 2.17, not 'new' (pass the sysroot's c_stdlib_version)"],
      [["-t", "linux-64"], "conda-bazel: no files to check (name the built files: conda-bazel check --target T PATH...)"],
      [[file("x86_64")], "conda-bazel: no target to check against (pass --target T; conda-bazel targets lists them)"],
    ] as const) {
      const run = await cli(["check", ...args], env);
      expect(run.exitCode, message).toBe(2);
      expect(expectOneLine(run.stderr)).toBe(message);
      expect(run.stdout).toBe("");
    }
  });
});
