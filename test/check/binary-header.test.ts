// The header parser on inputs no toolchain here makes: Mach-O (there is no Mach-O linker on this
// machine, so the headers are built byte by byte after <mach-o/loader.h> and <mach-o/fat.h>),
// and damaged or look-alike files. Real ELF and PE files are checked in check.test.ts.
import { describe, expect, it } from "vitest";
import { readBinary } from "../../src/check/binary-header.js";
import { bufferSource, MalformedBinary } from "../../src/check/byte-source.js";
import { checkImages, describeImage } from "../../src/check/findings.js";
import { pathRoots } from "../../src/check/build-paths.js";
import { findTarget } from "../../src/targets.js";

const CPU_TYPE_X86_64 = 0x01000007;
const CPU_TYPE_ARM64 = 0x0100000c;
const LC_RPATH = 0x8000001c;
const LC_UUID = 0x1b;
const MH_ALLOW_STACK_EXECUTION = 0x20000;

/** A 64-bit little-endian Mach-O dylib header with an LC_UUID and one LC_RPATH per path. */
function machO(cputype: number, rpaths: string[], flags = 0): Buffer {
  const commands: Buffer[] = [Buffer.concat([u32s(LC_UUID, 24), Buffer.alloc(16, 7)])];
  for (const path of rpaths) {
    const text = Buffer.from(`${path}\0`);
    const size = Math.ceil((12 + text.length) / 8) * 8;
    const command = Buffer.alloc(size);
    command.writeUInt32LE(LC_RPATH, 0);
    command.writeUInt32LE(size, 4);
    command.writeUInt32LE(12, 8);
    text.copy(command, 12);
    commands.push(command);
  }
  const body = Buffer.concat(commands);
  // magic, cputype, cpusubtype, filetype MH_DYLIB, ncmds, sizeofcmds, flags, reserved
  return Buffer.concat([u32s(0xfeedfacf, cputype, 0, 6, commands.length, body.length, flags, 0), body]);
}

function u32s(...values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buffer.writeUInt32LE(v, i * 4));
  return buffer;
}

/** A universal file: big-endian fat header and fat_arch table, slices at 4 KiB boundaries. */
function fat(...slices: [number, Buffer][]): Buffer {
  const header = Buffer.alloc(8 + slices.length * 20);
  header.writeUInt32BE(0xcafebabe, 0);
  header.writeUInt32BE(slices.length, 4);
  const parts: Buffer[] = [];
  let offset = 4096;
  slices.forEach(([cputype, bytes], i) => {
    header.writeUInt32BE(cputype, 8 + i * 20);
    header.writeUInt32BE(offset, 8 + i * 20 + 8);
    header.writeUInt32BE(bytes.length, 8 + i * 20 + 12);
    header.writeUInt32BE(12, 8 + i * 20 + 16);
    parts.push(Buffer.concat([bytes, Buffer.alloc(4096 - bytes.length)]));
    offset += 4096;
  });
  return Buffer.concat([header, Buffer.alloc(4096 - header.length), ...parts]);
}

const osxArm64 = findTarget("osx-arm64")!;
const roots = pathRoots({ PREFIX: "/opt/h_env_placehold", BUILD_PREFIX: "/opt/build_env" }, "/work/src");
const expect64 = { target: osxArm64, glibc: null, roots };

describe("Mach-O headers", () => {
  it("reads cputype, class, LC_RPATH entries and the stack flag", () => {
    const [image] = readBinary(bufferSource(machO(CPU_TYPE_ARM64, ["@loader_path/../lib", "/opt/build_env/lib"])))!;
    expect(image).toMatchObject({ format: "macho", machine: CPU_TYPE_ARM64, bits: 64, stack: "non-executable" });
    expect(image!.runPaths).toEqual([
      { kind: "LC_RPATH", path: "@loader_path/../lib" },
      { kind: "LC_RPATH", path: "/opt/build_env/lib" },
    ]);
    expect(describeImage(image!)).toBe("Mach-O 64-bit code for aarch64-apple-darwin");
  });

  it("finds x86_64 code in an osx-arm64 build, a BUILD_PREFIX rpath and an allowed stack execution", () => {
    const images = readBinary(bufferSource(machO(CPU_TYPE_X86_64, ["/opt/build_env/lib", "/opt/h_env_placehold/lib"], MH_ALLOW_STACK_EXECUTION)))!;
    const findings = checkImages(images, expect64);
    expect(findings.map((f) => f.check)).toEqual(["machine", "rpath", "execstack"]);
    expect(findings[0]!.problem).toBe("is Mach-O 64-bit code for x86_64-apple-darwin, not for aarch64-apple-darwin");
    expect(findings[1]!.problem).toBe("LC_RPATH entry '/opt/build_env/lib' is in BUILD_PREFIX /opt/build_env, a build path that does not exist where the package is installed");
    expect(findings[1]!.fix).toContain("@loader_path");
    expect(findings[2]!.fix).toContain("-allow_stack_execute");
  });

  it("checks every slice of a universal file", () => {
    const images = readBinary(bufferSource(fat([CPU_TYPE_X86_64, machO(CPU_TYPE_X86_64, [])], [CPU_TYPE_ARM64, machO(CPU_TYPE_ARM64, [])])))!;
    expect(images.map((i) => i.machine)).toEqual([CPU_TYPE_X86_64, CPU_TYPE_ARM64]);
    expect(checkImages(images, expect64).map((f) => f.problem)).toEqual(["is Mach-O 64-bit code for x86_64-apple-darwin, not for aarch64-apple-darwin"]);
  });

  it("is damaged when a load command runs past the header's sizeofcmds", () => {
    const bytes = machO(CPU_TYPE_ARM64, ["/x"]);
    bytes.writeUInt32LE(4000, 32 + 24 + 4); // the LC_RPATH's cmdsize
    expect(() => readBinary(bufferSource(bytes))).toThrow(MalformedBinary);
  });
});

describe("look-alikes and damage", () => {
  it("a Java class file shares the universal magic but is no binary", () => {
    // magic, minor 0, major 52 (Java 8): read as a fat header it would claim 52 slices.
    expect(readBinary(bufferSource(Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 0])))).toBeNull();
  });

  it("text, an empty file and an MZ file without a PE header are no binaries", () => {
    expect(readBinary(bufferSource(Buffer.from("#!/bin/sh\necho hi\n")))).toBeNull();
    expect(readBinary(bufferSource(Buffer.alloc(0)))).toBeNull();
    expect(readBinary(bufferSource(Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200)])))).toBeNull();
  });

  it("an ELF file cut short after its identification is damaged, not read past its end", () => {
    const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...Array(24).fill(0)]);
    expect(() => readBinary(bufferSource(elf))).toThrow(/ELF header lies past the end of the file/);
  });

  it("an ELF header claiming a huge section table is damaged", () => {
    const elf = Buffer.alloc(64);
    elf.writeUInt32BE(0x7f454c46, 0);
    elf[4] = 2;
    elf[5] = 1;
    elf.writeUInt16LE(1, 16); // ET_REL: no program headers to read
    elf.writeBigUInt64LE(64n, 40); // e_shoff
    elf.writeUInt16LE(64, 58); // e_shentsize
    elf.writeUInt16LE(60000, 60); // e_shnum
    expect(() => readBinary(bufferSource(elf))).toThrow(/section header table lies past the end of the file/);
  });
});

describe("build paths", () => {
  const judge = (entry: string, env: NodeJS.ProcessEnv = {}, cwd = "/home/me/project") =>
    checkImages([{ format: "elf", machine: 62, bits: 64, littleEndian: true, glibc: null, runPaths: [{ kind: "RUNPATH", path: entry }], stack: "non-executable" }], {
      target: findTarget("linux-64")!,
      glibc: null,
      roots: pathRoots(env, cwd),
    }).map((f) => f.problem);

  it("passes $ORIGIN-relative entries, the install prefix and system paths", () => {
    expect(judge("$ORIGIN/../lib")).toEqual([]);
    expect(judge("${ORIGIN}")).toEqual([]);
    expect(judge("/usr/lib64")).toEqual([]);
    expect(judge("/tmp/cb/_h_env_placehold_placehold/lib", { PREFIX: "/tmp/cb/_h_env_placehold_placehold" })).toEqual([]);
  });

  it("names BUILD_PREFIX even where conda-build's CONDA_PREFIX is the same directory", () => {
    expect(judge("/cb/_build_env/lib", { BUILD_PREFIX: "/cb/_build_env", CONDA_PREFIX: "/cb/_build_env" })).toEqual([
      "RUNPATH entry '/cb/_build_env/lib' is in BUILD_PREFIX /cb/_build_env, a build path that does not exist where the package is installed",
    ]);
  });

  it("names the work dir, the working directory, temp dirs, and relative or empty entries", () => {
    expect(judge("/cb/work/build/lib", { SRC_DIR: "/cb/work" })[0]).toContain("is in the work dir SRC_DIR /cb/work");
    expect(judge("/home/me/project/bazel-bin/lib")[0]).toContain("is in the working directory /home/me/project");
    expect(judge("/tmp/../tmp/x")[0]).toContain("is in the temp dir /tmp");
    expect(judge("/var/tmp/x")[0]).toContain("is in the temp dir /var/tmp");
    expect(judge("lib")[0]).toBe("RUNPATH entry 'lib' is relative, resolved against the working directory of whoever runs it");
    expect(judge("")[0]).toContain("is empty");
  });

  it("does not take the file system root as a working directory that holds every path", () => {
    expect(judge("/usr/lib", {}, "/")).toEqual([]);
  });
});
