// The one table of supported targets. Every triplet, conda subdir, GOOS/GOARCH and Bazel
// constraint used anywhere in conda-bazel comes from here.

export type CompilerFamily = "gcc" | "clang";

/** Default flags of the conda-forge compiler activation, interactive mode, without the
 * `-isystem`/`-L`/`-rpath` additions that point at the prefix (those are added by
 * discovery, which knows the prefix). Used only when no activation script is installed. */
export interface CondaDefaultFlags {
  readonly cflags: string;
  readonly cxxflags: string;
  readonly cppflags: string;
  readonly ldflags: string;
  /** The activation's LDFLAGS additions that point at the prefix, `${CONDA_PREFIX}` unexpanded. */
  readonly prefixLdflags: string;
}

export interface Target {
  /** Canonical name, a Rust-style target triplet. */
  readonly triplet: string;
  /** conda subdir the target's binaries are for. */
  readonly subdir: string;
  /** Triplets conda compilers for this target carry, current first, then legacy. */
  readonly condaTriplets: readonly string[];
  readonly family: CompilerFamily;
  /** Suffix after `<condaTriplet>-` of the C and C++ drivers. */
  readonly ccName: string;
  readonly cxxName: string;
  /** Package names that provide the compilers, for `conda install` hints. */
  readonly compilerPackages: readonly string[];
  /** conda-forge's clang for this target beside its gcc (`clang_<subdir>`/`clangxx_<subdir>`
   * of ctng-compiler-activation: `<triplet>-clang`, `-clang++`, `-clang-cpp`), or null. */
  readonly clangPackages: readonly string[] | null;
  /** Package named by conda-forge's `stdlib('c')` for this target. */
  readonly stdlibPackage: string;
  readonly goos: string;
  readonly goarch: string;
  /** Go's per-architecture level variable and its baseline, where Go has one. */
  readonly goArchLevel: { readonly name: string; readonly value: string; readonly sinceGo: string } | null;
  /** `@platforms//os:<os>` and `@platforms//cpu:<cpu>`; older @platforms releases only know the fallbacks. */
  readonly bazelOs: string;
  readonly bazelCpus: readonly string[];
  /** Bazel's legacy `--cpu` name, the `target_cpu` of a cc toolchain config (`k8`, `ppc`...). */
  readonly bazelTargetCpu: string;
  /** Shared library file name for a library called `name`. */
  readonly sharedLibrary: { readonly prefix: string; readonly extension: string };
  /** Other spellings users type for this target. */
  readonly aliases: readonly string[];
  /** conda_build_config.yaml selector that is true for this target platform. */
  readonly selector: string;
  readonly defaultFlags: CondaDefaultFlags;
  /** What the header of a binary built for this target says (`conda-bazel check` compares it). */
  readonly binary: BinaryFormat;
}

/**
 * ELF `e_machine`, class and byte order; PE COFF `Machine` and PE32+; Mach-O `cputype`.
 * `execStackWithoutNote`: glibc's DEFAULT_STACK_PERMS for the architecture (sysdeps/<arch>/
 * stackinfo.h) includes PF_X, so an ELF file without PT_GNU_STACK gets an executable stack.
 */
export type BinaryFormat =
  | { readonly format: "elf"; readonly machine: number; readonly bits: 32 | 64; readonly littleEndian: boolean; readonly execStackWithoutNote: boolean }
  | { readonly format: "pe"; readonly machine: number; readonly bits: 32 | 64 }
  | { readonly format: "macho"; readonly cputype: number; readonly bits: 32 | 64 };

const LINUX_LDFLAGS =
  "-Wl,-O2 -Wl,--sort-common -Wl,--as-needed -Wl,-z,relro -Wl,-z,now -Wl,--allow-shlib-undefined";
const CPPFLAGS = "-DNDEBUG -D_FORTIFY_SOURCE=2 -O2";
const CXX_EXTRA = "-fvisibility-inlines-hidden -fmessage-length=0";
const LINUX_PREFIX_LDFLAGS = "-Wl,-rpath,${CONDA_PREFIX}/lib -Wl,-rpath-link,${CONDA_PREFIX}/lib -L${CONDA_PREFIX}/lib";
const OSX_PREFIX_LDFLAGS = "-Wl,-rpath,${CONDA_PREFIX}/lib -L${CONDA_PREFIX}/lib";

function gccFlags(cflags: string, ldflags: string): CondaDefaultFlags {
  return { cflags, cxxflags: `${CXX_EXTRA} ${cflags}`, cppflags: CPPFLAGS, ldflags, prefixLdflags: LINUX_PREFIX_LDFLAGS };
}

export const TARGETS: readonly Target[] = [
  {
    triplet: "x86_64-unknown-linux-gnu",
    subdir: "linux-64",
    condaTriplets: ["x86_64-conda-linux-gnu", "x86_64-conda_cos6-linux-gnu", "x86_64-conda_cos7-linux-gnu"],
    family: "gcc",
    ccName: "cc",
    cxxName: "c++",
    compilerPackages: ["gcc_linux-64", "gxx_linux-64"],
    clangPackages: ["clang_linux-64", "clangxx_linux-64"],
    stdlibPackage: "sysroot_linux-64",
    goos: "linux",
    goarch: "amd64",
    goArchLevel: { name: "GOAMD64", value: "v1", sinceGo: "1.18" },
    bazelOs: "linux",
    bazelCpus: ["x86_64"],
    bazelTargetCpu: "k8",
    sharedLibrary: { prefix: "lib", extension: ".so" },
    aliases: ["linux-64", "linux/amd64", "x86_64-linux-gnu", "x86_64-conda-linux-gnu", "x86_64-linux", "amd64-linux"],
    selector: "linux and x86_64",
    defaultFlags: gccFlags(
      "-march=nocona -mtune=haswell -ftree-vectorize -fPIC -fstack-protector-strong -fno-plt -O2 -ffunction-sections -pipe",
      "-Wl,-O2 -Wl,--sort-common -Wl,--as-needed -Wl,-z,relro -Wl,-z,now -Wl,--disable-new-dtags -Wl,--gc-sections -Wl,--allow-shlib-undefined",
    ),
    binary: { format: "elf", machine: 62, bits: 64, littleEndian: true, execStackWithoutNote: true },
  },
  {
    triplet: "aarch64-unknown-linux-gnu",
    subdir: "linux-aarch64",
    condaTriplets: ["aarch64-conda-linux-gnu", "aarch64-conda_cos7-linux-gnu"],
    family: "gcc",
    ccName: "cc",
    cxxName: "c++",
    compilerPackages: ["gcc_linux-aarch64", "gxx_linux-aarch64"],
    clangPackages: ["clang_linux-aarch64", "clangxx_linux-aarch64"],
    stdlibPackage: "sysroot_linux-aarch64",
    goos: "linux",
    goarch: "arm64",
    goArchLevel: { name: "GOARM64", value: "v8.0", sinceGo: "1.23" },
    bazelOs: "linux",
    bazelCpus: ["aarch64"],
    bazelTargetCpu: "aarch64",
    sharedLibrary: { prefix: "lib", extension: ".so" },
    aliases: ["linux-aarch64", "linux/arm64", "aarch64-linux-gnu", "aarch64-conda-linux-gnu", "arm64-linux", "aarch64-linux"],
    selector: "linux and aarch64",
    defaultFlags: gccFlags("-ftree-vectorize -fPIC -fstack-protector-strong -fno-plt -O3 -pipe", LINUX_LDFLAGS),
    binary: { format: "elf", machine: 183, bits: 64, littleEndian: true, execStackWithoutNote: false },
  },
  {
    triplet: "powerpc64le-unknown-linux-gnu",
    subdir: "linux-ppc64le",
    condaTriplets: ["powerpc64le-conda-linux-gnu", "powerpc64le-conda_cos7-linux-gnu"],
    family: "gcc",
    ccName: "cc",
    cxxName: "c++",
    compilerPackages: ["gcc_linux-ppc64le", "gxx_linux-ppc64le"],
    clangPackages: ["clang_linux-ppc64le", "clangxx_linux-ppc64le"],
    stdlibPackage: "sysroot_linux-ppc64le",
    goos: "linux",
    goarch: "ppc64le",
    goArchLevel: { name: "GOPPC64", value: "power8", sinceGo: "1.10" },
    bazelOs: "linux",
    bazelCpus: ["ppc64le", "ppc"],
    bazelTargetCpu: "ppc",
    sharedLibrary: { prefix: "lib", extension: ".so" },
    aliases: ["linux-ppc64le", "linux/ppc64le", "powerpc64le-linux-gnu", "powerpc64le-conda-linux-gnu", "ppc64le-linux"],
    selector: "linux and ppc64le",
    defaultFlags: gccFlags(
      "-mcpu=power8 -mtune=power8 -ftree-vectorize -fPIC -fstack-protector-strong -fno-plt -O3 -pipe",
      LINUX_LDFLAGS,
    ),
    binary: { format: "elf", machine: 21, bits: 64, littleEndian: true, execStackWithoutNote: false },
  },
  {
    triplet: "x86_64-pc-windows-gnu",
    subdir: "win-64",
    condaTriplets: ["x86_64-w64-mingw32"],
    family: "gcc",
    ccName: "gcc",
    cxxName: "g++",
    compilerPackages: ["gcc_win-64", "gxx_win-64"],
    clangPackages: null,
    stdlibPackage: "m2w64-sysroot_win-64",
    goos: "windows",
    goarch: "amd64",
    goArchLevel: { name: "GOAMD64", value: "v1", sinceGo: "1.18" },
    bazelOs: "windows",
    bazelCpus: ["x86_64"],
    bazelTargetCpu: "x64_windows",
    sharedLibrary: { prefix: "", extension: ".dll" },
    aliases: ["win-64", "windows/amd64", "x86_64-w64-mingw32", "x86_64-windows-gnu"],
    selector: "win",
    defaultFlags: {
      cflags: "-ftree-vectorize -fPIC -fstack-protector-strong -fno-plt -O3 -pipe",
      cxxflags: `${CXX_EXTRA} -ftree-vectorize -fPIC -fstack-protector-strong -fno-plt -O3 -pipe`,
      cppflags: CPPFLAGS,
      ldflags: "-Wl,-O2 -Wl,--sort-common",
      prefixLdflags: "-L${CONDA_PREFIX}/lib",
    },
    binary: { format: "pe", machine: 0x8664, bits: 64 },
  },
  {
    triplet: "x86_64-apple-darwin",
    subdir: "osx-64",
    condaTriplets: ["x86_64-apple-darwin13.4.0"],
    family: "clang",
    ccName: "clang",
    cxxName: "clang++",
    compilerPackages: ["clang_osx-64", "clangxx_osx-64"],
    clangPackages: null,
    stdlibPackage: "macosx_deployment_target_osx-64",
    goos: "darwin",
    goarch: "amd64",
    goArchLevel: { name: "GOAMD64", value: "v1", sinceGo: "1.18" },
    bazelOs: "macos",
    bazelCpus: ["x86_64"],
    bazelTargetCpu: "darwin_x86_64",
    sharedLibrary: { prefix: "lib", extension: ".dylib" },
    aliases: ["osx-64", "darwin/amd64", "x86_64-apple-darwin13.4.0", "x86_64-apple-macosx", "x86_64-darwin"],
    selector: "osx and x86_64",
    defaultFlags: {
      cflags: "-march=core2 -mtune=haswell -mssse3 -ftree-vectorize -fPIC -fstack-protector-strong -O2 -pipe",
      cxxflags: "-march=core2 -mtune=haswell -mssse3 -ftree-vectorize -fPIC -fstack-protector-strong -O2 -pipe -stdlib=libc++ -fvisibility-inlines-hidden -fmessage-length=0",
      cppflags: "-D_FORTIFY_SOURCE=2",
      ldflags: "-Wl,-headerpad_max_install_names -Wl,-dead_strip_dylibs",
      prefixLdflags: OSX_PREFIX_LDFLAGS,
    },
    binary: { format: "macho", cputype: 0x01000007, bits: 64 },
  },
  {
    triplet: "aarch64-apple-darwin",
    subdir: "osx-arm64",
    condaTriplets: ["arm64-apple-darwin20.0.0"],
    family: "clang",
    ccName: "clang",
    cxxName: "clang++",
    compilerPackages: ["clang_osx-arm64", "clangxx_osx-arm64"],
    clangPackages: null,
    stdlibPackage: "macosx_deployment_target_osx-arm64",
    goos: "darwin",
    goarch: "arm64",
    goArchLevel: { name: "GOARM64", value: "v8.0", sinceGo: "1.23" },
    bazelOs: "macos",
    bazelCpus: ["aarch64", "arm64"],
    bazelTargetCpu: "darwin_arm64",
    sharedLibrary: { prefix: "lib", extension: ".dylib" },
    aliases: ["osx-arm64", "darwin/arm64", "arm64-apple-darwin", "arm64-apple-darwin20.0.0", "arm64-apple-macosx", "aarch64-darwin"],
    selector: "osx and arm64",
    defaultFlags: {
      cflags: "-ftree-vectorize -fPIC -fstack-protector-strong -O2 -pipe",
      cxxflags: "-ftree-vectorize -fPIC -fstack-protector-strong -O2 -pipe -stdlib=libc++ -fvisibility-inlines-hidden -fmessage-length=0",
      cppflags: "-D_FORTIFY_SOURCE=2",
      ldflags: "-Wl,-headerpad_max_install_names -Wl,-dead_strip_dylibs",
      prefixLdflags: OSX_PREFIX_LDFLAGS,
    },
    binary: { format: "macho", cputype: 0x0100000c, bits: 64 },
  },
];

/** The driver names (after `<triplet>-`) and packages of one compiler family for a target. */
export interface CompilerNames {
  readonly family: CompilerFamily;
  readonly cc: readonly string[];
  readonly cxx: readonly string[];
  readonly cpp: readonly string[];
  readonly packages: readonly string[];
}

/** The compiler families conda has for `target`, its own (`family`) first. */
export function compilerFamilies(target: Target): CompilerNames[] {
  const own: CompilerNames =
    target.family === "gcc"
      ? { family: "gcc", cc: [target.ccName, "gcc"], cxx: [target.cxxName, "g++"], cpp: ["cpp"], packages: target.compilerPackages }
      : { family: "clang", cc: [target.ccName], cxx: [target.cxxName], cpp: ["clang-cpp"], packages: target.compilerPackages };
  if (!target.clangPackages) return [own];
  return [own, { family: "clang", cc: ["clang"], cxx: ["clang++"], cpp: ["clang-cpp"], packages: target.clangPackages }];
}

const BY_NAME: ReadonlyMap<string, Target> = new Map(
  TARGETS.flatMap((t) => [t.triplet, ...t.aliases, ...t.condaTriplets].map((name) => [name.toLowerCase(), t] as const)),
);

/** The target a user-typed name stands for, or undefined. */
export function findTarget(name: string): Target | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

export function targetForSubdir(subdir: string): Target | undefined {
  return TARGETS.find((t) => t.subdir === subdir);
}

export function targetByTriplet(triplet: string): Target {
  const target = TARGETS.find((t) => t.triplet === triplet);
  if (!target) throw new Error(`not a canonical target triplet: ${triplet}`);
  return target;
}

export function sharedLibraryName(target: Target, name: string): string {
  return `${target.sharedLibrary.prefix}${name}${target.sharedLibrary.extension}`;
}

/** conda subdir of the machine running this process, for envs whose records do not say. */
export function hostSubdir(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  const os = { linux: "linux", darwin: "osx", win32: "win" }[platform as string];
  const cpu = { x64: "64", arm64: os === "osx" ? "arm64" : "aarch64", ppc64: "ppc64le" }[arch];
  return os && cpu ? `${os}-${cpu}` : undefined;
}
