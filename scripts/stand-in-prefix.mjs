#!/usr/bin/env node
// @ts-check
// Assembles a conda prefix laid out exactly as conda-forge lays one out (conda-meta records,
// bin/<triplet>-* compilers, <triplet>/sysroot, go/ GOROOT, activation scripts, zlib, bzip2,
// python, numpy), whose compilers are Debian's real gcc and cross gcc, whose Go, zlib, bzip2,
// Python and numpy are Debian's. There is no conda on these machines: the packaging is a stand-in, every build
// through it is real. Used by the tests, the demo and the benchmarks.
//
//   node scripts/stand-in-prefix.mjs DIR [--subdirs linux-64,linux-aarch64] [--legacy] [--bare]
//        [--pixi] [--go cgo|nocgo|none] [--go-layout native|cross|copy] [--no-python]
//        [--go-activation linux-aarch64] [--filler N] [--clang linux-64,linux-aarch64]
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The compilers this machine has for each conda subdir. `debian` is the Debian triplet whose
 * /usr/bin/<debian>-* tools stand in for conda's; `sysroot` is the Debian directory holding the
 * target's libc, laid out inside the prefix as conda's sysroot_<subdir> package would be.
 */
export const STAND_IN_COMPILERS = {
  "linux-64": { triplet: "x86_64-conda-linux-gnu", legacy: "x86_64-conda_cos6-linux-gnu", debian: "x86_64-linux-gnu", sysroot: "/usr/x86_64-linux-gnu", cc: "cc", cxx: "c++", activation: "linux-64" },
  "linux-aarch64": { triplet: "aarch64-conda-linux-gnu", legacy: "aarch64-conda_cos7-linux-gnu", debian: "aarch64-linux-gnu", sysroot: "/usr/aarch64-linux-gnu", cc: "cc", cxx: "c++", activation: "linux-aarch64" },
  "linux-ppc64le": { triplet: "powerpc64le-conda-linux-gnu", legacy: "powerpc64le-conda_cos7-linux-gnu", debian: "powerpc64le-linux-gnu", sysroot: "/usr/powerpc64le-linux-gnu", cc: "cc", cxx: "c++", activation: "linux-ppc64le" },
  "win-64": { triplet: "x86_64-w64-mingw32", legacy: "x86_64-w64-mingw32", debian: "x86_64-w64-mingw32", sysroot: "/usr/x86_64-w64-mingw32", cc: "gcc", cxx: "g++", activation: "win-64" },
};

/** conda-forge's default flags per target (ctng-compiler-activation build_scripts.sh, rendered). */
const FLAGS = {
  "linux-64": {
    cflags: "-march=nocona -mtune=haswell -ftree-vectorize -fPIC -fstack-protector-strong -fno-plt -O2 -ffunction-sections -pipe",
    ldflags: "-Wl,-O2 -Wl,--sort-common -Wl,--as-needed -Wl,-z,relro -Wl,-z,now -Wl,--disable-new-dtags -Wl,--gc-sections -Wl,--allow-shlib-undefined",
  },
  "linux-aarch64": {
    cflags: "-ftree-vectorize -fPIC -fstack-protector-strong -fno-plt -O3 -pipe",
    ldflags: "-Wl,-O2 -Wl,--sort-common -Wl,--as-needed -Wl,-z,relro -Wl,-z,now -Wl,--allow-shlib-undefined",
  },
  "linux-ppc64le": {
    cflags: "-mcpu=power8 -mtune=power8 -ftree-vectorize -fPIC -fstack-protector-strong -fno-plt -O3 -pipe",
    ldflags: "-Wl,-O2 -Wl,--sort-common -Wl,--as-needed -Wl,-z,relro -Wl,-z,now -Wl,--allow-shlib-undefined",
  },
  "win-64": { cflags: "-ftree-vectorize -fPIC -fstack-protector-strong -fno-plt -O3 -pipe", ldflags: "-Wl,-O2 -Wl,--sort-common" },
};

const GOARCH = { "linux-64": ["linux", "amd64"], "linux-aarch64": ["linux", "arm64"], "linux-ppc64le": ["linux", "ppc64le"], "win-64": ["windows", "amd64"] };
const BINUTILS = ["addr2line", "ar", "as", "c++filt", "elfedit", "gprof", "ld", "nm", "objcopy", "objdump", "ranlib", "readelf", "size", "strings", "strip"];

/**
 * @typedef {object} StandInOptions
 * @property {string[]} [subdirs] compilers to install, by target subdir (default: all four)
 * @property {boolean} [legacy] use the legacy `cos6`/`cos7` triplets, as conda-forge did before 2020
 * @property {boolean} [bare] activation scripts set bare compiler names (gcc >= 14.4), not absolute paths
 * @property {boolean} [pixi] records written the way pixi/rattler writes them (channel without subdir)
 * @property {"cgo"|"nocgo"|"none"} [go] which Go variant to install (default cgo)
 * @property {boolean} [python] install Python (default true)
 * @property {string[]} [goActivation] go-cgo_<subdir> activation packages to install
 * @property {string[]} [clang] also install conda's clang for these subdirs (each among `subdirs`)
 * @property {number} [filler] extra noarch records, to make the prefix look like a real env
 * @property {number} [fillerFileCount] how many `files` entries each filler record lists
 * @property {boolean} [noSysroot] leave out the sysroot packages
 * @property {boolean} [condarc] write a .condarc naming the subdir
 * @property {"native"|"cross"|"copy"} [goLayout] where the go program lies (see installGo)
 * @property {string} [goroot] the GOROOT to install as conda's go (default Debian's)
 * @property {boolean} [zlib] install the library packages zlib, libzlib and bzip2 (default true)
 * @property {"conda"|"mamba"|"micromamba"|"unknown"} [manager] who made the env, as conda-meta/history says (default conda)
 */

/** @type {Map<string, string>} */
const outputs = new Map();

/**
 * What a program of this machine prints for these arguments, run once per process: the versions
 * of Debian's tools do not change while the tests run, and the test files build about 80 prefixes.
 * @param {string} file
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 */
function output(file, args, env) {
  const key = [file, ...args].join("\0");
  let text = outputs.get(key);
  if (text === undefined) {
    text = execFileSync(file, args, { encoding: "utf8", ...(env ? { env } : {}) });
    outputs.set(key, text);
  }
  return text;
}

function debianVersion(tool) {
  return output(tool, ["-dumpfullversion", "-dumpversion"]).trim().split("\n")[0];
}

function hash(text, length = 64) {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function write(path, contents, mode) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, contents);
  if (mode) chmodSync(path, mode);
}

function link(target, path) {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  symlinkSync(target, path);
}

/** A conda-meta record with the fields conda (or pixi) writes. */
export function record(prefix, { name, version, build, subdir, depends = [], files = [], options }) {
  const fn = `${name}-${version}-${build}.conda`;
  const base = "https://conda.anaconda.org/conda-forge";
  const body = {
    build,
    build_number: Number(/_(\d+)$/.exec(build)?.[1] ?? 0),
    channel: options.pixi ? `${base}/` : `${base}/${subdir}`,
    constrains: [],
    depends,
    extracted_package_dir: options.pixi ? undefined : `/opt/conda/pkgs/${name}-${version}-${build}`,
    files,
    fn,
    license: "GPL-3.0-only WITH GCC-exception-3.1",
    link: options.pixi ? { source: `/home/u/.cache/rattler/cache/pkgs/${name}-${version}-${build}`, type: 1 } : { source: `/opt/conda/pkgs/${name}-${version}-${build}`, type: 1 },
    md5: hash(`md5:${fn}`, 32),
    name,
    package_tarball_full_path: options.pixi ? undefined : `/opt/conda/pkgs/${fn}`,
    paths_data: { paths: files.map((p) => ({ _path: p, path_type: "hardlink", sha256: hash(p), size_in_bytes: 1024 })), paths_version: 1 },
    requested_spec: options.pixi ? undefined : "None",
    sha256: hash(`sha256:${fn}`),
    size: 123456,
    subdir,
    timestamp: 1700000000000,
    url: `${base}/${subdir}/${fn}`,
    version,
  };
  write(join(prefix, "conda-meta", `${name}-${version}-${build}.json`), `${JSON.stringify(body, null, 2)}\n`);
}

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), "stand-in-activation");
// The first line of a compiler wrapper that names the sysroot beside it: the wrapper's directory
// without $(dirname "$0"), a fork and an exec for every compile. $0 is the path the wrapper was
// run by; it has no slash only when found through an empty PATH entry (the working directory).
const WRAPPER_DIR = "case $0 in */*) bin=${0%/*} ;; *) bin=. ;; esac\n";

/**
 * An installed activation script: the stand-in template between the shared opening and closing,
 * its @NAME@ placeholders filled in as the feedstocks' build scripts fill them (with sed).
 * @param {string} kind gcc, g++ or binutils
 * @param {Record<string, string>} values
 */
function renderActivation(kind, values) {
  let text = ["preamble.sh", `activate-${kind}.sh`, "epilogue.sh"].map((f) => readFileSync(join(TEMPLATES, f), "utf8")).join("\n");
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`@${name}@`, value);
  const left = /@[A-Z_]+@/.exec(text);
  if (left) throw new Error(`stand-in activation ${kind}: ${left[0]} not filled in`);
  return text;
}

/** `"NAME,value"` arguments of `_tc_activation`, one per line as the feedstocks write them. */
const tcArguments = (pairs) => pairs.map(([name, value]) => `"${name},${value}"`).join(" \\\n  ");

/**
 * The activation scripts of one target's compiler packages, keyed by package name: binutils, gcc
 * and gxx; or, for `clang`, clang and clangxx, which ctng-compiler-activation's build_scripts.sh
 * makes from the same templates: bare `<triplet>-clang` names, `<triplet>-ar`, and no
 * `-fno-merge-constants` (clang has no such flag).
 */
function compilerActivations(subdir, triplet, buildTriplet, bare, family = "gcc") {
  const flags = FLAGS[subdir];
  // gcc other than 14.3.0/13.4.0 names its programs bare; those two, and binutils < 2.45.1, absolute.
  const tool = (t, name) => (bare ? `${t}-${name}` : `\${CONDA_PREFIX}/bin/${t}-${name}`);
  const system = subdir.startsWith("win-") ? "Windows" : "Linux";
  const machine = subdir === "linux-ppc64le" ? "ppc64le" : triplet.split("-")[0];
  const debug = (f) => f.replace(/-O[23]/, "-Og -g -Wall -Wextra").replace("-fstack-protector-strong", "-fstack-protector-all");
  const cxxflags = `-fvisibility-inlines-hidden -fmessage-length=0 ${flags.cflags}`;
  const common = { IS_WIN: "0", CMAKE_SYSTEM_NAME: system, CHOST: triplet, CBUILD: buildTriplet };
  const gccValues = {
    ...common,
    MESON_SYSTEM: system.toLowerCase(),
    MACHINE: machine,
    MESON_FAMILY: machine === "ppc64le" ? "ppc64" : machine,
    CFLAGS: flags.cflags,
    DEBUG_CFLAGS: debug(flags.cflags),
    CPPFLAGS: "-DNDEBUG -D_FORTIFY_SOURCE=2 -O2",
    DEBUG_CPPFLAGS: "-D_DEBUG -D_FORTIFY_SOURCE=2 -Og",
    LDFLAGS: flags.ldflags,
    CONDA_BUILD_CROSS_COMPILATION: triplet === buildTriplet ? "" : "1",
  };
  if (family === "clang") {
    const noMerge = (text) => text.replaceAll(" -fno-merge-constants", "");
    return {
      [`clang_${subdir}`]: noMerge(
        renderActivation("gcc", {
          ...gccValues,
          C_EXTRA: tcArguments([
            ["CC", `${triplet}-clang`],
            ["CPP", `${triplet}-clang-cpp`],
            ["CC_FOR_BUILD", `${buildTriplet}-clang`],
            ["CPP_FOR_BUILD", `${buildTriplet}-clang-cpp`],
            ["CLANG", `${triplet}-clang`],
          ]),
        }),
      ),
      [`clangxx_${subdir}`]: noMerge(
        renderActivation("g++", {
          ...common,
          CXXFLAGS: cxxflags,
          DEBUG_CXXFLAGS: debug(cxxflags),
          CXX_EXTRA: tcArguments([
            ["CXX", `${triplet}-clang++`],
            ["CXX_FOR_BUILD", `${buildTriplet}-clang++`],
            ["CLANGXX", `${triplet}-clang++`],
          ]),
        }),
      ),
    };
  }
  return {
    [`binutils_${subdir}`]: renderActivation("binutils", {
      ...common,
      TOOLS_ACTIVATE: `\\\n  ${tcArguments(BINUTILS.map((t) => [t.toUpperCase().replace(/\+/g, "X").replace(/-/g, "_"), tool(triplet, t)]))}`,
    }),
    [`gcc_${subdir}`]: renderActivation("gcc", {
      ...gccValues,
      C_EXTRA: tcArguments([
        ["CC", tool(triplet, "cc")],
        ["CPP", tool(triplet, "cpp")],
        ["CC_FOR_BUILD", tool(buildTriplet, "cc")],
        ["CPP_FOR_BUILD", tool(buildTriplet, "cpp")],
        ["GCC", tool(triplet, "gcc")],
        ["GCC_AR", tool(triplet, "gcc-ar")],
        ["GCC_NM", tool(triplet, "gcc-nm")],
        ["GCC_RANLIB", tool(triplet, "gcc-ranlib")],
      ]),
    }),
    [`gxx_${subdir}`]: renderActivation("g++", {
      ...common,
      CXXFLAGS: cxxflags,
      DEBUG_CXXFLAGS: debug(cxxflags),
      CXX_EXTRA: tcArguments([
        ["CXX", tool(triplet, "c++")],
        ["CXX_FOR_BUILD", tool(buildTriplet, "c++")],
        ["GXX", tool(triplet, "g++")],
      ]),
    }),
  };
}

/**
 * conda-forge's clang_<subdir>/clangxx_<subdir> beside the target's gcc: bin/<triplet>-clang,
 * -clang++ and -clang-cpp, and their activation scripts. conda's are symlinks to `clang`, which
 * takes its target from the name; Debian's clang does not know the `conda` vendor, so these are
 * wrappers passing --target (Debian's triplet) and the sysroot, as the gcc wrappers do. The
 * native sysroot (Debian's x86_64 cross libc) has no libgcc_s and no gcc beside it: the native
 * wrapper names Debian's gcc install and, when linking, its library directory, as gcc itself
 * searches it.
 * @param {string} prefix @param {string} subdir @param {string} triplet @param {string} hostTriplet
 * @param {Required<Pick<StandInOptions, "bare">> & StandInOptions} opts
 */
function installClang(prefix, subdir, triplet, hostTriplet, opts) {
  const spec = STAND_IN_COMPILERS[subdir];
  if (!spec || subdir === "win-64") throw new Error(`no stand-in clang for subdir ${subdir}`);
  const bin = join(prefix, "bin");
  const sysroot = opts.noSysroot ? "" : ` --sysroot="\${bin}/../${triplet}/sysroot"`;
  const native = subdir === "linux-64";
  for (const [name, driver] of [["clang", "clang"], ["clang++", "clang++"], ["clang-cpp", "clang-cpp-14"]]) {
    const run = `exec /usr/bin/${driver} --target=${spec.debian}${sysroot}${native ? " --gcc-toolchain=/usr" : ""}`;
    // Only a link takes -Wl,-L (a compile would warn that it is unused).
    const link = native ? `case " $* " in *" -c "*|*" -E "*|*" -S "*) ;; *) ${run} -Wl,-L/usr/lib/${spec.debian} "$@" ;; esac\n` : "";
    write(join(bin, `${triplet}-${name}`), `#!/bin/sh\n${WRAPPER_DIR}${link}${run} "$@"\n`, 0o755);
  }
  const activate = join(prefix, "etc", "conda", "activate.d");
  for (const [pkg, text] of Object.entries(compilerActivations(subdir, triplet, hostTriplet, opts.bare, "clang"))) write(join(activate, `activate-${pkg}.sh`), text);
  const version = output("/usr/bin/clang", ["-dumpversion"]).trim();
  const b = (letters) => `h${hash(`${subdir}${letters}`, 7)}_0`;
  record(prefix, { name: `clang_impl_${subdir}`, version, build: b("ci"), subdir: "linux-64", files: [`bin/${triplet}-clang`, `bin/${triplet}-clang-cpp`], options: opts });
  record(prefix, { name: `clangxx_impl_${subdir}`, version, build: b("cxi"), subdir: "linux-64", files: [`bin/${triplet}-clang++`], options: opts });
  record(prefix, { name: `clang_${subdir}`, version, build: b("c"), subdir: "linux-64", files: [`etc/conda/activate.d/activate-clang_${subdir}.sh`], depends: [`clang_impl_${subdir} ${version}.*`, `binutils_${subdir}`], options: opts });
  record(prefix, { name: `clangxx_${subdir}`, version, build: b("cx"), subdir: "linux-64", files: [`etc/conda/activate.d/activate-clangxx_${subdir}.sh`], options: opts });
}

/** Debian's site.py searches only dist-packages: this puts conda's lib/python3.X/site-packages on sys.path. */
export const SITECUSTOMIZE = 'import os\nimport site\nimport sys\n\nsite.addsitedir(os.path.join(sys.prefix, "lib", "python%d.%d" % sys.version_info[:2], "site-packages"))\n';

/** Every entry of `from` linked into `to`, except `skip`. */
export function linkEntries(from, to, skip = []) {
  for (const name of readdirSync(from)) if (!skip.includes(name)) link(join(from, name), join(to, name));
}

/**
 * conda-forge's Go layouts: `native` (go/bin/go, bin/go linking to it), `cross` (a Go cross-built
 * for the env's platform: go/bin/<goos>_<goarch>/go, bin/go linking there) and `copy` (bin/go a
 * copy of the program, GOROOT still go/). Returns the package's files.
 * @param {string} prefix
 * @param {string} goroot a real GOROOT whose toolchain runs here
 * @param {"native"|"cross"|"copy"} layout
 */
function installGo(prefix, goroot, layout) {
  const bin = join(prefix, "bin");
  if (layout === "native") {
    link(goroot, join(prefix, "go"));
    link("../go/bin/go", join(bin, "go"));
    link("../go/bin/gofmt", join(bin, "gofmt"));
    return ["go/bin/go", "go/bin/gofmt", "bin/go", "bin/gofmt"];
  }
  linkEntries(goroot, join(prefix, "go"), ["bin"]);
  if (layout === "cross") {
    const programs = join(prefix, "go", "bin", "linux_amd64");
    mkdirSync(programs, { recursive: true });
    for (const p of ["go", "gofmt"]) {
      copyFileSync(join(goroot, "bin", p), join(programs, p));
      link(`../go/bin/linux_amd64/${p}`, join(bin, p));
    }
    return ["go/bin/linux_amd64/go", "go/bin/linux_amd64/gofmt", "bin/go", "bin/gofmt"];
  }
  mkdirSync(bin, { recursive: true });
  for (const p of ["go", "gofmt"]) copyFileSync(join(goroot, "bin", p), join(bin, p));
  return ["bin/go", "bin/gofmt"];
}

/**
 * conda-forge's zlib split: `libzlib` (the shared library) and `zlib` (headers, the linker name,
 * pkg-config), here from Debian's zlib1g(-dev), copied into the prefix's include/ and lib/.
 * @param {string} prefix
 * @param {StandInOptions} opts
 */
function installZlib(prefix, opts) {
  const real = realpathSync("/usr/lib/x86_64-linux-gnu/libz.so");
  const file = real.split("/").pop();
  const version = file.replace(/^libz\.so\./, "");
  const lib = join(prefix, "lib");
  mkdirSync(lib, { recursive: true });
  copyFileSync(real, join(lib, file));
  link(file, join(lib, "libz.so.1"));
  link(file, join(lib, "libz.so"));
  copyFileSync("/usr/lib/x86_64-linux-gnu/libz.a", join(lib, "libz.a"));
  for (const h of ["zlib.h", "zconf.h"]) write(join(prefix, "include", h), readFileSync(join("/usr/include", h)));
  write(
    join(lib, "pkgconfig", "zlib.pc"),
    `prefix=${prefix}\nexec_prefix=\${prefix}\nlibdir=\${exec_prefix}/lib\nsharedlibdir=\${libdir}\nincludedir=\${prefix}/include\n\nName: zlib\nDescription: zlib compression library\nVersion: ${version}\n\nRequires:\nLibs: -L\${libdir} -L\${sharedlibdir} -lz\nCflags: -I\${includedir}\n`,
  );
  const build = `h${hash("zlib", 7)}_1`;
  // As zlib-feedstock's recipe.yaml splits them: libzlib the versioned .so files, zlib the rest.
  record(prefix, { name: "libzlib", version, build, subdir: "linux-64", depends: [...GLIBC_LIBGCC], files: [`lib/${file}`, "lib/libz.so.1"], options: opts });
  record(prefix, { name: "zlib", version, build, subdir: "linux-64", depends: [...GLIBC_LIBGCC, `libzlib ${version} ${build}`], files: ["include/zconf.h", "include/zlib.h", "lib/libz.a", "lib/libz.so", "lib/pkgconfig/zlib.pc"], options: opts });
  return { version };
}

/** What conda-forge's compiled packages depend on: a virtual package (no record) and libgcc. */
const GLIBC_LIBGCC = ["__glibc >=2.17,<3.0.a0", "libgcc >=13"];

/**
 * conda-forge's bzip2 (one package: programs, bzlib.h, libbz2.a, libbz2.so* as its build.sh and
 * Makefile-libbz2_so install them: the real file, the SONAME link libbz2.so.1.0 and libbz2.so),
 * here from Debian's bzip2, libbz2-1.0 and libbz2-dev.
 * @param {string} prefix
 * @param {StandInOptions} opts
 */
function installBzip2(prefix, opts) {
  const real = realpathSync("/usr/lib/x86_64-linux-gnu/libbz2.so.1.0");
  const file = real.split("/").pop();
  // Debian names the file libbz2.so.1.0.4 whatever the release; the package's version is upstream's.
  const version = output("dpkg-query", ["-W", "-f=${Version}", "libbz2-1.0"]).split("-")[0];
  const lib = join(prefix, "lib");
  mkdirSync(lib, { recursive: true });
  copyFileSync(real, join(lib, file));
  link(file, join(lib, "libbz2.so.1.0"));
  link(file, join(lib, "libbz2.so"));
  copyFileSync("/usr/lib/x86_64-linux-gnu/libbz2.a", join(lib, "libbz2.a"));
  write(join(prefix, "include", "bzlib.h"), readFileSync("/usr/include/bzlib.h"));
  write(join(prefix, "bin", "bzip2"), readFileSync("/bin/bzip2"), 0o755);
  for (const alias of ["bunzip2", "bzcat"]) link("bzip2", join(prefix, "bin", alias));
  const files = ["bin/bunzip2", "bin/bzcat", "bin/bzip2", "include/bzlib.h", "lib/libbz2.a", "lib/libbz2.so", "lib/libbz2.so.1.0", `lib/${file}`];
  record(prefix, { name: "bzip2", version, build: `h${hash("bzip2", 7)}_7`, subdir: "linux-64", depends: [...GLIBC_LIBGCC], files, options: opts });
  return { version };
}

/** Every file under `dir`, relative to it, links followed: what a record's `files` lists. */
function filesUnder(dir, base = "") {
  return readdirSync(join(dir, base))
    .flatMap((name) => (statSync(join(dir, base, name)).isDirectory() ? filesUnder(dir, join(base, name)) : [join(base, name)]))
    .sort();
}

/**
 * conda-forge's python and numpy, from Debian's (python3, libpython3.X-dev, python3-numpy):
 * bin/python3.X a copy of Debian's interpreter (statically linked, as conda-forge's is; a copy,
 * not a link, so that it finds lib/python3.X/os.py beside it and takes the prefix as sys.prefix),
 * the stdlib linked entry by entry into lib/python3.X, include/python3.X with one pyconfig.h
 * (Debian splits it per architecture), lib/libpython3.X.so.1.0 and numpy in
 * lib/python3.X/site-packages. Debian's site.py only searches dist-packages directories, so a
 * sitecustomize.py adds site-packages, where conda's site.py looks.
 * @param {string} prefix
 * @param {StandInOptions} opts
 */
function installPython(prefix, opts) {
  const real = realpathSync("/usr/bin/python3");
  const version = output(real, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"]).trim();
  const short = version.split(".").slice(0, 2).join(".");
  const bin = join(prefix, "bin");
  mkdirSync(bin, { recursive: true });
  copyFileSync(real, join(bin, `python${short}`));
  link(`python${short}`, join(bin, "python3"));
  link(`python${short}`, join(bin, "python"));
  const stdlib = join(prefix, "lib", `python${short}`);
  linkEntries(`/usr/lib/python${short}`, stdlib, ["dist-packages", "site-packages", "sitecustomize.py", "__pycache__"]);
  write(join(stdlib, "sitecustomize.py"), SITECUSTOMIZE);
  const include = join(prefix, "include", `python${short}`);
  // Headers and libpython are real files in the prefix, as the package installs them (the
  // package targets refuse a listed header or library that leads out of the prefix).
  cpSync(`/usr/include/python${short}`, include, { recursive: true, dereference: true, filter: (src) => !/\/(pyconfig\.h|numpy)$/.test(src) });
  write(join(include, "pyconfig.h"), readFileSync(`/usr/include/x86_64-linux-gnu/python${short}/pyconfig.h`));
  const soname = `libpython${short}.so.1.0`;
  copyFileSync(realpathSync(`/usr/lib/x86_64-linux-gnu/${soname}`), join(prefix, "lib", soname));
  link(soname, join(prefix, "lib", `libpython${short}.so`));
  const files = [
    `bin/python${short}`,
    "bin/python3",
    "bin/python",
    ...filesUnder(include).map((f) => `include/python${short}/${f}`),
    `lib/${soname}`,
    `lib/libpython${short}.so`,
    // The stdlib's top-level modules stand for all of it (its packages are left out of the list).
    ...readdirSync(stdlib).filter((f) => f.endsWith(".py")).sort().map((f) => `lib/python${short}/${f}`),
  ];
  const build = `h${hash("py", 7)}_0_cpython`;
  record(prefix, { name: "python", version, build, subdir: "linux-64", files, options: opts });

  const numpy = "/usr/lib/python3/dist-packages/numpy";
  const numpyVersion = readdirSync(dirname(numpy)).map((n) => /^numpy-(.+)\.egg-info$/.exec(n)?.[1]).find(Boolean);
  if (!numpyVersion) throw new Error(`no numpy-<version>.egg-info beside ${numpy}: install python3-numpy`);
  const sitePackages = `lib/python${short}/site-packages`;
  link(numpy, join(prefix, sitePackages, "numpy"));
  const numpyFiles = filesUnder(numpy).map((f) => `${sitePackages}/numpy/${f}`);
  record(prefix, { name: "numpy", version: numpyVersion, build: `py${short.replace(".", "")}h${hash("numpy", 7)}_0`, subdir: "linux-64", depends: [`python >=${short},<${short}.0a0`], files: numpyFiles, options: opts });
  return { interpreter: join(bin, `python${short}`), version, numpyVersion };
}

/**
 * Builds the prefix at `dir` (replacing what is there) and returns a description of it.
 * @param {string} dir
 * @param {StandInOptions} [options]
 */
export function buildStandInPrefix(dir, options = {}) {
  const prefix = resolve(dir);
  const opts = { subdirs: Object.keys(STAND_IN_COMPILERS), go: "cgo", python: true, goActivation: [], filler: 20, fillerFileCount: 5, clang: [], ...options };
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(join(prefix, "conda-meta"), { recursive: true });
  // conda records the path it runs from, micromamba and mamba 2 their name; pixi writes no history.
  const maker = { conda: "/opt/conda/bin/conda", mamba: "mamba", micromamba: "micromamba", unknown: null }[opts.manager ?? "conda"];
  if (maker && !opts.pixi) write(join(prefix, "conda-meta", "history"), `==> 2026-11-01 10:00:00 <==\n# cmd: ${maker} create -p ${prefix}\n# conda version: 24.11.0\n`);
  const hostSubdir = "linux-64";
  const hostTriplet = opts.legacy ? STAND_IN_COMPILERS["linux-64"].legacy : STAND_IN_COMPILERS["linux-64"].triplet;
  const installed = [];

  record(prefix, { name: "_libgcc_mutex", version: "0.1", build: "conda_forge", subdir: hostSubdir, options: opts });
  // Debian's libgcc_s stands in for conda-forge's: the record lists it, so it is there.
  mkdirSync(join(prefix, "lib"), { recursive: true });
  copyFileSync("/lib/x86_64-linux-gnu/libgcc_s.so.1", join(prefix, "lib", "libgcc_s.so.1"));
  record(prefix, { name: "libgcc", version: "14.2.0", build: "h77fa898_1", subdir: hostSubdir, files: ["lib/libgcc_s.so.1"], options: opts });

  for (const subdir of opts.subdirs) {
    const spec = STAND_IN_COMPILERS[subdir];
    if (!spec) throw new Error(`no stand-in compiler for subdir ${subdir}`);
    const triplet = opts.legacy ? spec.legacy : spec.triplet;
    const bin = join(prefix, "bin");
    const version = debianVersion(`/usr/bin/${spec.debian}-gcc`);
    // Debian's mingw gcc says `12-win32`; a conda version holds no dash (record file names split on it).
    const recordVersion = version.split("-")[0];
    const sysroot = join(prefix, triplet, "sysroot");
    const hasSysroot = !opts.noSysroot;
    // conda's gcc is built --with-sysroot relative to its install; Debian's needs to be told.
    const sysrootFlag = hasSysroot && subdir !== "win-64" ? ` --sysroot="\${bin}/../${triplet}/sysroot"` : "";
    for (const [name, debianName] of [["gcc", "gcc"], ["cpp", "cpp"], ["g++", "g++"], ["c++", "g++"]]) {
      write(join(bin, `${triplet}-${name}`), `#!/bin/sh\n${sysrootFlag ? WRAPPER_DIR : ""}exec /usr/bin/${spec.debian}-${debianName}${sysrootFlag} "$@"\n`, 0o755);
    }
    if (spec.cc === "cc") link(`${triplet}-gcc`, join(bin, `${triplet}-cc`));
    for (const tool of ["gcc-ar", "gcc-nm", "gcc-ranlib"]) link(`/usr/bin/${spec.debian}-${tool}`, join(bin, `${triplet}-${tool}`));
    for (const tool of BINUTILS) link(`/usr/bin/${spec.debian}-${tool}`, join(bin, `${triplet}-${tool}`));
    if (hasSysroot) {
      if (subdir === "win-64") {
        link(spec.sysroot, sysroot);
      } else {
        link(join(spec.sysroot, "include"), join(sysroot, "usr", "include"));
        link(join(spec.sysroot, "lib"), join(sysroot, "usr", "lib"));
        link(join(spec.sysroot, "lib"), join(sysroot, "lib"));
        if (existsSync(join(spec.sysroot, "lib64"))) link(join(spec.sysroot, "lib64"), join(sysroot, "lib64"));
      }
    }
    const activate = join(prefix, "etc", "conda", "activate.d");
    for (const [pkg, text] of Object.entries(compilerActivations(subdir, triplet, hostTriplet, opts.bare))) write(join(activate, `activate-${pkg}.sh`), text);
    const b = (letters) => `h${hash(`${subdir}${letters}`, 7)}_1`;
    record(prefix, { name: `gcc_impl_${subdir}`, version: recordVersion, build: b("gi"), subdir: hostSubdir, files: [`bin/${triplet}-gcc`, `bin/${triplet}-cpp`], options: opts });
    record(prefix, { name: `gxx_impl_${subdir}`, version: recordVersion, build: b("xi"), subdir: hostSubdir, files: [`bin/${triplet}-g++`], options: opts });
    record(prefix, { name: `gcc_${subdir}`, version: recordVersion, build: b("g"), subdir: hostSubdir, files: [`etc/conda/activate.d/activate-gcc_${subdir}.sh`], depends: [`gcc_impl_${subdir} ${recordVersion}.*`, `binutils_${subdir}`, `sysroot_${subdir}`], options: opts });
    record(prefix, { name: `gxx_${subdir}`, version: recordVersion, build: b("x"), subdir: hostSubdir, files: [`etc/conda/activate.d/activate-gxx_${subdir}.sh`], options: opts });
    record(prefix, { name: `binutils_impl_${subdir}`, version: "2.40", build: b("bi"), subdir: hostSubdir, files: BINUTILS.map((t) => `bin/${triplet}-${t}`), options: opts });
    record(prefix, { name: `binutils_${subdir}`, version: "2.40", build: b("b"), subdir: hostSubdir, files: [`etc/conda/activate.d/activate-binutils_${subdir}.sh`], options: opts });
    if (hasSysroot) {
      const stdlib = subdir === "win-64" ? ["m2w64-sysroot_win-64", "12.0.0.r0"] : [`sysroot_${subdir}`, "2.36"];
      record(prefix, { name: stdlib[0], version: stdlib[1], build: "h0_1", subdir: "noarch", files: [`${triplet}/sysroot/usr/include/stdio.h`], options: opts });
    }
    if (opts.clang.includes(subdir)) installClang(prefix, subdir, triplet, hostTriplet, opts);
    installed.push({ subdir, triplet, version, sysroot: hasSysroot ? sysroot : null });
  }

  let go = null;
  if (opts.go !== "none") {
    const goroot = realpathSync(opts.goroot ?? "/usr/lib/go");
    const goVersion = output(join(goroot, "bin", "go"), ["env", "GOVERSION"], { ...process.env, GOTOOLCHAIN: "local" }).trim().replace(/^go/, "");
    const goFiles = installGo(prefix, goroot, opts.goLayout ?? "native");
    write(join(prefix, "etc", "conda", "env_vars.d", "go.json"), '{"GOTOOLCHAIN": "local"}\n');
    const variant = opts.go;
    const selectVersion = variant === "cgo" ? "2.3.0" : "2.2.0";
    record(prefix, { name: "go", version: goVersion, build: `h${hash(`go${variant}`, 7)}_0`, subdir: hostSubdir, files: goFiles, depends: [`_go_select ==${selectVersion}=${variant}`], options: opts });
    record(prefix, { name: "_go_select", version: selectVersion, build: variant, subdir: hostSubdir, options: opts });
    record(prefix, { name: `go-${variant}`, version: goVersion, build: `h${hash(`meta${variant}`, 7)}_0`, subdir: hostSubdir, depends: [`go ${goVersion}`], options: opts });
    for (const subdir of opts.goActivation) {
      const [goos, goarch] = GOARCH[subdir];
      const name = `go-${variant}_${subdir}`;
      const script = join(prefix, "etc", "conda", "activate.d", `activate-z61-${name}.sh`);
      write(script, `export CGO_ENABLED=${variant === "cgo" ? 1 : 0}\nexport GOOS=${goos}\nexport GOARCH=${goarch}\nexport CONDA_GO_COMPILER=1\nexport GOFLAGS="-modcacherw -buildmode=pie -trimpath"\n`);
      // go-activation's build.sh edits the script with `sed -ie`, which leaves this backup beside it.
      write(`${script}e`, "export CGO_ENABLED=${CGO_ENABLED}\nexport GOOS=${GOOS}\nexport GOARCH=${GOARCH}\n");
      record(prefix, { name, version: goVersion, build: `h${hash(name, 7)}_0`, subdir: hostSubdir, files: [`etc/conda/activate.d/activate-z61-${name}.sh`], options: opts });
    }
    go = { goroot, version: goVersion, variant };
  }

  const zlib = opts.zlib === false ? null : installZlib(prefix, opts);
  const bzip2 = opts.zlib === false ? null : installBzip2(prefix, opts);

  const python = opts.python ? installPython(prefix, opts) : null;

  for (let i = 0; i < opts.filler; i++) {
    const files = Array.from({ length: opts.fillerFileCount }, (_, j) => `lib/python3/site-packages/filler_${i}/module_${j}.py`);
    record(prefix, { name: `filler-package-${i}`, version: "1.0.0", build: "pyhd8ed1ab_0", subdir: "noarch", files, options: opts });
  }
  if (opts.condarc) write(join(prefix, ".condarc"), `subdir: ${hostSubdir}\n`);
  return { prefix, subdir: hostSubdir, compilers: installed, go, python, zlib, bzip2 };
}

/** True when `path` is a symlink pointing at `target` (for tests that inspect the layout). */
export function isLinkTo(path, target) {
  try {
    return readlinkSync(path) === target;
  } catch {
    return false;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write("usage: stand-in-prefix.mjs DIR [--subdirs a,b] [--legacy] [--bare] [--pixi] [--go cgo|nocgo|none] [--go-layout native|cross|copy] [--no-python] [--go-activation s] [--filler N] [--clang a,b]\n");
    process.exit(2);
  }
  /** @type {StandInOptions} */
  const options = {};
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === "--subdirs") options.subdirs = rest[++i].split(",");
    else if (flag === "--legacy") options.legacy = true;
    else if (flag === "--bare") options.bare = true;
    else if (flag === "--pixi") options.pixi = true;
    else if (flag === "--go") options.go = /** @type {any} */ (rest[++i]);
    else if (flag === "--no-python") options.python = false;
    else if (flag === "--go-activation") options.goActivation = rest[++i].split(",");
    else if (flag === "--filler") options.filler = Number(rest[++i]);
    else if (flag === "--clang") options.clang = rest[++i].split(",");
    else if (flag === "--go-layout") options.goLayout = /** @type {any} */ (rest[++i]);
    else {
      process.stderr.write(`unknown flag ${flag}\n`);
      process.exit(2);
    }
  }
  const result = buildStandInPrefix(dir, options);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
