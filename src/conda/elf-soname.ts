// The SONAME of an ELF shared library: the name the dynamic loader looks a library up by, so
// the name the link that Bazel imports must carry (`libz.so.1`, not `libz.so` or `libz.so.1.3.1`).
// Read from the dynamic segment with a few positioned reads; no tool runs.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const DT_NULL = 0n;
const DT_STRTAB = 5n;
const DT_SONAME = 14n;
/** Far more than any real dynamic section or SONAME; a malformed file reads as "no SONAME". */
const MAX_DYNAMIC_BYTES = 64 * 1024;
const MAX_NAME_BYTES = 4096;

interface Reader {
  read(offset: number, length: number): Buffer;
  word(buffer: Buffer, at: number): bigint;
  half(buffer: Buffer, at: number): number;
  u32(buffer: Buffer, at: number): number;
  is64: boolean;
}

function reader(fd: number, header: Buffer): Reader | undefined {
  if (header.length < 64 || header.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = header[4] === 2;
  const little = header[5] === 1;
  return {
    is64,
    read(offset, length) {
      const buffer = Buffer.alloc(length);
      return buffer.subarray(0, readSync(fd, buffer, 0, length, offset));
    },
    word: (b, at) => (is64 ? (little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at)) : BigInt(little ? b.readUInt32LE(at) : b.readUInt32BE(at))),
    half: (b, at) => (little ? b.readUInt16LE(at) : b.readUInt16BE(at)),
    u32: (b, at) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at)),
  };
}

/** The SONAME of the ELF file at `path` (links followed); null for an ELF file without one;
 * undefined when it is not a regular ELF file (a linker script such as libgcc_s.so) or malformed. */
export function elfSoname(path: string): string | null | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const buffer = Buffer.alloc(64);
    const r = reader(fd, buffer.subarray(0, readSync(fd, buffer, 0, 64, 0)));
    if (!r) return undefined;
    return soname(r, buffer);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function soname(r: Reader, header: Buffer): string | null | undefined {
  const phoff = Number(r.word(header, r.is64 ? 32 : 28));
  const phentsize = r.half(header, r.is64 ? 54 : 42);
  const phnum = r.half(header, r.is64 ? 56 : 44);
  const table = r.read(phoff, phentsize * phnum);
  const loads: { vaddr: bigint; offset: bigint; size: bigint }[] = [];
  let dynamic: { offset: number; size: number } | undefined;
  for (let i = 0; i < phnum && (i + 1) * phentsize <= table.length; i++) {
    const p = table.subarray(i * phentsize);
    const type = r.u32(p, 0);
    // 64-bit: type, flags, offset, vaddr, paddr, filesz; 32-bit: type, offset, vaddr, paddr, filesz.
    const offset = r.word(p, r.is64 ? 8 : 4);
    const vaddr = r.word(p, r.is64 ? 16 : 8);
    const size = r.word(p, r.is64 ? 32 : 16);
    if (type === PT_LOAD) loads.push({ vaddr, offset, size });
    if (type === PT_DYNAMIC) dynamic = { offset: Number(offset), size: Math.min(Number(size), MAX_DYNAMIC_BYTES) };
  }
  if (!dynamic) return null;
  const entries = r.read(dynamic.offset, dynamic.size);
  const entrySize = r.is64 ? 16 : 8;
  let strtab: bigint | undefined;
  let name: bigint | undefined;
  for (let at = 0; at + entrySize <= entries.length; at += entrySize) {
    const tag = r.word(entries, at);
    if (tag === DT_NULL) break;
    if (tag === DT_STRTAB) strtab = r.word(entries, at + entrySize / 2);
    if (tag === DT_SONAME) name = r.word(entries, at + entrySize / 2);
  }
  if (name === undefined) return null;
  if (strtab === undefined) return undefined;
  // DT_STRTAB is an address; the PT_LOAD segment holding it says where that is in the file.
  const segment = loads.find((l) => strtab! >= l.vaddr && strtab! < l.vaddr + l.size);
  if (!segment) return undefined;
  const bytes = r.read(Number(strtab - segment.vaddr + segment.offset + name), MAX_NAME_BYTES);
  const end = bytes.indexOf(0);
  return end > 0 ? bytes.subarray(0, end).toString("utf8") : undefined;
}
