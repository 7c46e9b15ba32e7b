// What `conda-bazel check` needs from a built file's headers: ELF (e_machine, class, byte order,
// PT_GNU_STACK, DT_RPATH/DT_RUNPATH, the GLIBC_x.y versions of .gnu.version_r), PE (COFF machine,
// PE32/PE32+) and Mach-O (cputype, LC_RPATH, MH_ALLOW_STACK_EXECUTION, each slice of a universal
// file). Field offsets are those of the ELF gABI, Microsoft's PE format page and Apple's
// <mach-o/loader.h> and <mach-o/fat.h>. Every read is bounded (byte-source.ts); every count a
// header gives is capped, so a corrupt file ends in MalformedBinary, never in a long loop.
import { MalformedBinary, type ByteSource } from "./byte-source.js";

export interface RunPath {
  /** DT_RPATH, DT_RUNPATH or a Mach-O LC_RPATH. */
  readonly kind: "RPATH" | "RUNPATH" | "LC_RPATH";
  /** One entry: DT_RPATH/DT_RUNPATH strings are split at `:`. */
  readonly path: string;
}

export interface BinaryImage {
  readonly format: "elf" | "pe" | "macho";
  /** ELF e_machine, PE COFF Machine or Mach-O cputype. */
  readonly machine: number;
  readonly bits: 32 | 64;
  readonly littleEndian: boolean;
  /** The highest GLIBC_x.y version an ELF file needs, with one symbol that asks for it. */
  readonly glibc: { readonly version: string; readonly symbol: string | null } | null;
  readonly runPaths: readonly RunPath[];
  /** `unmarked`: an ELF executable or library without PT_GNU_STACK (what that means depends on
   * the architecture); null where the format has no such notion or the file is not linked. */
  readonly stack: "executable" | "non-executable" | "unmarked" | null;
}

/** Caps on what a header may ask to be walked; real files are far below them. */
const MAX_ENTRIES = 65536;

const ELF_MAGIC = 0x7f454c46;
const PT_GNU_STACK = 0x6474e551;
const PF_X = 1;
const ET_EXEC = 2;
const ET_DYN = 3;
const SHT_DYNAMIC = 6;
const SHT_DYNSYM = 11;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;
const DT_RPATH = 15;
const DT_RUNPATH = 29;

const MH_MAGIC = 0xfeedface;
const MH_MAGIC_64 = 0xfeedfacf;
const MH_CIGAM = 0xcefaedfe;
const MH_CIGAM_64 = 0xcffaedfe;
const FAT_MAGIC = 0xcafebabe;
const LC_RPATH = 0x8000001c;
const MH_ALLOW_STACK_EXECUTION = 0x20000;
/** Java class files share FAT_MAGIC; their version field read as a count is 45 or more. */
const MAX_FAT_ARCHS = 20;

/** Reads integers of one byte order from a buffer. */
class Fields {
  constructor(
    readonly bytes: Buffer,
    readonly little: boolean,
  ) {}
  u16(at: number): number {
    return this.little ? this.bytes.readUInt16LE(at) : this.bytes.readUInt16BE(at);
  }
  u32(at: number): number {
    return this.little ? this.bytes.readUInt32LE(at) : this.bytes.readUInt32BE(at);
  }
  /** A 64-bit offset or size; one past 2^53 cannot be in any file this reads. */
  u64(at: number): number {
    const value = this.little ? this.bytes.readBigUInt64LE(at) : this.bytes.readBigUInt64BE(at);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedBinary("it has an offset or size larger than any file");
    return Number(value);
  }
  word(at: number, bits: 32 | 64): number {
    return bits === 64 ? this.u64(at) : this.u32(at);
  }
}

/** The images of the file: one, or one per slice of a universal Mach-O file. Null when the
 * file starts with none of the magic numbers. */
export function readBinary(source: ByteSource): BinaryImage[] | null {
  if (source.size < 4) return null;
  const head = source.read(0, 4, "magic number");
  const magic = head.readUInt32BE(0);
  if (magic === ELF_MAGIC) return [readElf(source)];
  if (head[0] === 0x4d && head[1] === 0x5a) return readPe(source);
  if ([MH_MAGIC, MH_MAGIC_64, MH_CIGAM, MH_CIGAM_64].includes(magic)) return [readMachO(source, 0, source.size)];
  if (magic === FAT_MAGIC) return readFat(source);
  return null;
}

function checkCount(count: number, what: string): void {
  if (count > MAX_ENTRIES) throw new MalformedBinary(`it claims ${count} ${what}`);
}

/** A NUL-terminated string at `offset` of a string table that starts at `table` and holds `size` bytes. */
function tableString(source: ByteSource, table: number, size: number, offset: number, what: string): string {
  if (offset >= size) throw new MalformedBinary(`its ${what} points past its string table`);
  const length = Math.min(size - offset, 4096);
  const bytes = source.read(table + offset, length, what);
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? length : end).toString("utf8");
}

interface Section {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
}

function readElf(source: ByteSource): BinaryImage {
  const ident = source.read(0, 16, "ELF identification");
  const bits = ident[4] === 1 ? 32 : ident[4] === 2 ? 64 : null;
  if (bits === null || (ident[5] !== 1 && ident[5] !== 2)) throw new MalformedBinary("its ELF class or byte order is invalid");
  const little = ident[5] === 1;
  const header = new Fields(source.read(0, bits === 64 ? 64 : 52, "ELF header"), little);
  const type = header.u16(16);
  const machine = header.u16(18);
  const [phoff, shoff] = bits === 64 ? [header.u64(32), header.u64(40)] : [header.u32(28), header.u32(32)];
  const at = bits === 64 ? 54 : 42;
  const [phentsize, phnum, shentsize] = [header.u16(at), header.u16(at + 2), header.u16(at + 4)];
  let shnum = header.u16(at + 6);

  let stack: BinaryImage["stack"] = null;
  if (type === ET_EXEC || type === ET_DYN) {
    stack = "unmarked";
    checkCount(phnum, "program headers");
    if (phnum > 0 && phentsize < (bits === 64 ? 56 : 32)) throw new MalformedBinary("its program header size is invalid");
    const table = new Fields(source.read(phoff, phnum * phentsize, "program header table"), little);
    for (let i = 0; i < phnum; i++) {
      const base = i * phentsize;
      if (table.u32(base) !== PT_GNU_STACK) continue;
      stack = table.u32(base + (bits === 64 ? 4 : 24)) & PF_X ? "executable" : "non-executable";
    }
  }

  // Without section headers (an `sstrip`ped file) there is no RPATH or version need to read;
  // the program headers alone would need the dynamic segment mapped through PT_LOAD.
  const sections: Section[] = [];
  if (shoff !== 0) {
    const minimum = bits === 64 ? 64 : 40;
    if (shentsize < minimum) throw new MalformedBinary("its section header size is invalid");
    // More sections than e_shnum can hold: the count is section 0's sh_size.
    if (shnum === 0) shnum = new Fields(source.read(shoff, minimum, "section header table"), little).word(bits === 64 ? 32 : 20, bits);
    checkCount(shnum, "sections");
    const table = new Fields(source.read(shoff, shnum * shentsize, "section header table"), little);
    for (let i = 0; i < shnum; i++) {
      const base = i * shentsize;
      sections.push(
        bits === 64
          ? { type: table.u32(base + 4), offset: table.u64(base + 24), size: table.u64(base + 32), link: table.u32(base + 40), info: table.u32(base + 44) }
          : { type: table.u32(base + 4), offset: table.u32(base + 16), size: table.u32(base + 20), link: table.u32(base + 24), info: table.u32(base + 28) },
      );
    }
  }
  const linked = (section: Section, what: string): Section => {
    const strings = sections[section.link];
    if (!strings) throw new MalformedBinary(`its ${what} names no string table`);
    return strings;
  };
  return { format: "elf", machine, bits, littleEndian: little, glibc: glibcNeeded(source, sections, linked, little, bits), runPaths: elfRunPaths(source, sections, linked, little, bits), stack };
}

type Linked = (section: Section, what: string) => Section;

function elfRunPaths(source: ByteSource, sections: readonly Section[], linked: Linked, little: boolean, bits: 32 | 64): RunPath[] {
  const paths: RunPath[] = [];
  for (const dynamic of sections.filter((s) => s.type === SHT_DYNAMIC)) {
    const strings = linked(dynamic, "dynamic section");
    const entry = bits === 64 ? 16 : 8;
    const count = Math.floor(dynamic.size / entry);
    checkCount(count, "dynamic entries");
    const table = new Fields(source.read(dynamic.offset, count * entry, "dynamic section"), little);
    for (let i = 0; i < count; i++) {
      const tag = table.word(i * entry, bits);
      if (tag === 0) break;
      if (tag !== DT_RPATH && tag !== DT_RUNPATH) continue;
      const value = tableString(source, strings.offset, strings.size, table.word(i * entry + entry / 2, bits), "RPATH/RUNPATH string");
      for (const path of value.split(":")) paths.push({ kind: tag === DT_RPATH ? "RPATH" : "RUNPATH", path });
    }
  }
  return paths;
}

/** Compares dotted version numbers: 2.17 < 2.2.5 is false, 2.17 < 2.34 is true. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const GLIBC_VERSION = /^GLIBC_(\d+(?:\.\d+)+)$/;

function glibcNeeded(source: ByteSource, sections: readonly Section[], linked: Linked, little: boolean, bits: 32 | 64): BinaryImage["glibc"] {
  let best: { version: string; index: number } | null = null;
  for (const verneed of sections.filter((s) => s.type === SHT_GNU_VERNEED)) {
    const strings = linked(verneed, "version needs");
    const data = new Fields(source.read(verneed.offset, verneed.size, "version needs"), little);
    const field = (at: number, size: 2 | 4) => {
      if (at + size > verneed.size) throw new MalformedBinary("its version needs run past their section");
      return size === 2 ? data.u16(at) : data.u32(at);
    };
    checkCount(verneed.info, "version needs");
    let need = 0;
    for (let i = 0; i < verneed.info; i++) {
      const count = field(need + 2, 2);
      let aux = need + field(need + 8, 4);
      for (let j = 0; j < count; j++) {
        const name = tableString(source, strings.offset, strings.size, field(aux + 8, 4), "version name");
        const version = GLIBC_VERSION.exec(name)?.[1];
        if (version && (!best || compareVersions(version, best.version) > 0)) best = { version, index: field(aux + 6, 2) & 0x7fff };
        const next = field(aux + 12, 4);
        if (next === 0) break;
        aux += next;
      }
      const next = field(need + 12, 4);
      if (next === 0) break;
      need += next;
    }
  }
  return best && { version: best.version, symbol: symbolOfVersion(source, sections, linked, little, bits, best.index) };
}

/** The first dynamic symbol bound to version `index`, to name in the finding. */
function symbolOfVersion(source: ByteSource, sections: readonly Section[], linked: Linked, little: boolean, bits: 32 | 64, index: number): string | null {
  const versym = sections.find((s) => s.type === SHT_GNU_VERSYM);
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  if (!versym || !dynsym) return null;
  const strings = linked(dynsym, "dynamic symbol table");
  const entry = bits === 64 ? 24 : 16;
  const count = Math.min(Math.floor(versym.size / 2), Math.floor(dynsym.size / entry));
  checkCount(count, "dynamic symbols");
  const versions = new Fields(source.read(versym.offset, count * 2, "symbol versions"), little);
  for (let i = 0; i < count; i++) {
    if ((versions.u16(i * 2) & 0x7fff) !== index) continue;
    const name = new Fields(source.read(dynsym.offset + i * entry, 4, "dynamic symbol"), little).u32(0);
    return tableString(source, strings.offset, strings.size, name, "symbol name");
  }
  return null;
}

function readPe(source: ByteSource): BinaryImage[] | null {
  if (source.size < 0x40) return null;
  const peAt = source.read(0x3c, 4, "DOS header").readUInt32LE(0);
  if (peAt + 24 + 2 > source.size || source.read(peAt, 4, "PE signature").toString("latin1") !== "PE\0\0") return null;
  const coff = source.read(peAt + 4, 20 + 2, "COFF header");
  const optionalMagic = coff.readUInt16LE(20);
  if (optionalMagic !== 0x10b && optionalMagic !== 0x20b) throw new MalformedBinary("its PE optional header magic is invalid");
  return [{ format: "pe", machine: coff.readUInt16LE(0), bits: optionalMagic === 0x20b ? 64 : 32, littleEndian: true, glibc: null, runPaths: [], stack: null }];
}

function readMachO(source: ByteSource, start: number, size: number): BinaryImage {
  const magic = source.read(start, 4, "Mach-O header").readUInt32BE(0);
  if (![MH_MAGIC, MH_MAGIC_64, MH_CIGAM, MH_CIGAM_64].includes(magic)) throw new MalformedBinary("a slice of the universal file is not a Mach-O image");
  const little = magic === MH_CIGAM || magic === MH_CIGAM_64;
  const bits = magic === MH_MAGIC_64 || magic === MH_CIGAM_64 ? 64 : 32;
  const headerSize = bits === 64 ? 32 : 28;
  if (size < headerSize) throw new MalformedBinary("its Mach-O header is cut short");
  const header = new Fields(source.read(start, headerSize, "Mach-O header"), little);
  const ncmds = header.u32(16);
  const sizeofcmds = header.u32(20);
  if (headerSize + sizeofcmds > size) throw new MalformedBinary("its load commands run past the image");
  checkCount(ncmds, "load commands");
  const commands = new Fields(source.read(start + headerSize, sizeofcmds, "load commands"), little);
  const runPaths: RunPath[] = [];
  let at = 0;
  for (let i = 0; i < ncmds; i++) {
    if (at + 8 > sizeofcmds) throw new MalformedBinary("its load commands run past their size");
    const [cmd, cmdsize] = [commands.u32(at), commands.u32(at + 4)];
    if (cmdsize < 8 || at + cmdsize > sizeofcmds) throw new MalformedBinary("a load command has an invalid size");
    if (cmd === LC_RPATH) {
      const text = commands.bytes.subarray(at + commands.u32(at + 8), at + cmdsize);
      const end = text.indexOf(0);
      runPaths.push({ kind: "LC_RPATH", path: text.subarray(0, end === -1 ? text.length : end).toString("utf8") });
    }
    at += cmdsize;
  }
  const stack = header.u32(24) & MH_ALLOW_STACK_EXECUTION ? "executable" : "non-executable";
  return { format: "macho", machine: header.u32(4), bits, littleEndian: little, glibc: null, runPaths, stack };
}

function readFat(source: ByteSource): BinaryImage[] | null {
  const count = source.read(4, 4, "universal header").readUInt32BE(0);
  if (count === 0 || count > MAX_FAT_ARCHS) return null;
  const table = source.read(8, count * 20, "universal header");
  return Array.from({ length: count }, (_, i) => readMachO(source, table.readUInt32BE(i * 20 + 8), table.readUInt32BE(i * 20 + 12)));
}
