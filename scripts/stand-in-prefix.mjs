#!/usr/bin/env node
// @ts-check
// Assembles a conda prefix laid out exactly as conda-forge lays one out (conda-meta records,
// bin/<triplet>-* compilers, <triplet>/sysroot, go/ GOROOT, activation scripts, python), whose
// compilers are Debian's real gcc and cross gcc, whose Go is Debian's Go and whose Python is
// Debian's. There is no conda on these machines: the packaging is a stand-in, every build
// through it is real. Used by the tests, the demo and the benchmarks.
//
//   node scripts/stand-in-prefix.mjs DIR [--subdirs linux-64,linux-aarch64] [--legacy] [--bare]
//        [--pixi] [--go cgo|nocgo|none] [--no-python] [--go-activation linux-aarch64] [--filler N]
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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
 * @property {number} [filler] extra noarch records, to make the prefix look like a real env
 * @property {number} [fillerFileCount] how many `files` entries each filler record lists
 * @property {boolean} [noSysroot] leave out the sysroot packages
 * @property {boolean} [condarc] write a .condarc naming the subdir
 */

function debianVersion(tool) {
  return execFileSync(tool, ["-dumpfullversion", "-dumpversion"], { encoding: "utf8" }).trim().split("\n")[0];
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
function record(prefix, { name, version, build, subdir, depends = [], files = [], options }) {
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

/** The activation script gcc_<subdir> installs: the interactive branch's flags as literal text. */
function gccActivation(triplet, buildTriplet, flags, bare, cross) {
  const tool = (name) => (bare ? `${triplet}-${name}` : `\${CONDA_PREFIX}/bin/${triplet}-${name}`);
  return `#!/bin/bash
# Installed by gcc (stand-in for conda-forge's ctng-compiler-activation activate-gcc.sh).
if [ "\${CONDA_BUILD:-0}" = "1" ]; then
  CFLAGS_USED="${flags.cflags} -isystem \${PREFIX}/include -fdebug-prefix-map=\${SRC_DIR}=/usr/local/src/conda/\${PKG_NAME}-\${PKG_VERSION} -fdebug-prefix-map=\${PREFIX}=/usr/local/src/conda-prefix"
  LDFLAGS_USED="${flags.ldflags} -Wl,-rpath,\${PREFIX}/lib -Wl,-rpath-link,\${PREFIX}/lib -L\${PREFIX}/lib"
  CPPFLAGS_USED="-DNDEBUG -D_FORTIFY_SOURCE=2 -O2 -isystem \${PREFIX}/include"
else
  CFLAGS_USED="${flags.cflags} -isystem \${CONDA_PREFIX}/include"
  DEBUG_CFLAGS_USED="${flags.cflags.replace("-O2", "-Og -g").replace("-O3", "-Og -g")} -isystem \${CONDA_PREFIX}/include"
  CPPFLAGS_USED="-DNDEBUG -D_FORTIFY_SOURCE=2 -O2 -isystem \${CONDA_PREFIX}/include"
  DEBUG_CPPFLAGS_USED="-D_DEBUG -D_FORTIFY_SOURCE=2 -Og -isystem \${CONDA_PREFIX}/include"
  LDFLAGS_USED="${flags.ldflags} -Wl,-rpath,\${CONDA_PREFIX}/lib -Wl,-rpath-link,\${CONDA_PREFIX}/lib -L\${CONDA_PREFIX}/lib"
fi

_tc_activation \\
  activate HOST ${triplet} ${triplet}- \\
  "CC,\${CC:-${tool("cc")}}" \\
  "CPP,\${CPP:-${tool("cpp")}}" \\
  "GCC,\${GCC:-${tool("gcc")}}" \\
  "GCC_AR,\${GCC_AR:-${tool("gcc-ar")}}" \\
  "CPPFLAGS,\${CPPFLAGS:-\${CPPFLAGS_USED}}" \\
  "CFLAGS,\${CFLAGS:-\${CFLAGS_USED}}" \\
  "LDFLAGS,\${LDFLAGS:-\${LDFLAGS_USED}}" \\
  "DEBUG_CPPFLAGS,\${DEBUG_CPPFLAGS:-\${DEBUG_CPPFLAGS_USED}}" \\
  "DEBUG_CFLAGS,\${DEBUG_CFLAGS:-\${DEBUG_CFLAGS_USED}}" \\
  "CONDA_BUILD_SYSROOT,\${CONDA_PREFIX}/${triplet}/sysroot" \\
  "CONDA_BUILD_CROSS_COMPILATION,${cross ? "1" : ""}" \\
  "CC_FOR_BUILD,\${CONDA_PREFIX}/bin/${buildTriplet}-cc" \\
  "build_alias,${buildTriplet}" \\
  "host_alias,${triplet}"
`;
}

function gxxActivation(triplet, flags, bare) {
  const cxx = bare ? `${triplet}-c++` : `\${CONDA_PREFIX}/bin/${triplet}-c++`;
  return `#!/bin/bash
# Installed by gxx (stand-in for conda-forge's ctng-compiler-activation activate-g++.sh).
if [ "\${CONDA_BUILD:-0}" = "1" ]; then
  CXXFLAGS_USED="-fvisibility-inlines-hidden -fmessage-length=0 ${flags.cflags} -isystem \${PREFIX}/include"
else
  CXXFLAGS_USED="-fvisibility-inlines-hidden -fmessage-length=0 ${flags.cflags} -isystem \${CONDA_PREFIX}/include"
fi

_tc_activation \\
  activate HOST ${triplet} ${triplet}- \\
  "CXX,\${CXX:-${cxx}}" \\
  "CXXFLAGS,\${CXXFLAGS:-\${CXXFLAGS_USED}}"
`;
}

function binutilsActivation(triplet, bare) {
  const pairs = BINUTILS.filter((t) => t !== "c++filt").map((t) => {
    const name = t.toUpperCase().replace(/[+-]/g, "_");
    return `  "${name},${bare ? `${triplet}-${t}` : `\${CONDA_PREFIX}/bin/${triplet}-${t}`}"`;
  });
  return `#!/bin/bash\n# Installed by binutils (stand-in for conda-forge's activate-binutils.sh).\n_tc_activation \\\n  activate HOST ${triplet} ${triplet}- \\\n${pairs.join(" \\\n")}\n`;
}

/**
 * Builds the prefix at `dir` (replacing what is there) and returns a description of it.
 * @param {string} dir
 * @param {StandInOptions} [options]
 */
export function buildStandInPrefix(dir, options = {}) {
  const prefix = resolve(dir);
  const opts = { subdirs: Object.keys(STAND_IN_COMPILERS), go: "cgo", python: true, goActivation: [], filler: 20, fillerFileCount: 5, ...options };
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(join(prefix, "conda-meta"), { recursive: true });
  write(join(prefix, "conda-meta", "history"), `==> 2026-11-01 10:00:00 <==\n# cmd: conda create -p ${prefix}\n# conda version: 24.11.0\n`);
  const hostSubdir = "linux-64";
  const hostTriplet = opts.legacy ? STAND_IN_COMPILERS["linux-64"].legacy : STAND_IN_COMPILERS["linux-64"].triplet;
  const installed = [];

  record(prefix, { name: "_libgcc_mutex", version: "0.1", build: "conda_forge", subdir: hostSubdir, options: opts });
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
    const sysrootFlag = hasSysroot && subdir !== "win-64" ? ` --sysroot="$(dirname "$0")/../${triplet}/sysroot"` : "";
    for (const [name, debianName] of [["gcc", "gcc"], ["cpp", "cpp"], ["g++", "g++"], ["c++", "g++"]]) {
      write(join(bin, `${triplet}-${name}`), `#!/bin/sh\nexec /usr/bin/${spec.debian}-${debianName}${sysrootFlag} "$@"\n`, 0o755);
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
    const cross = subdir !== hostSubdir;
    const activate = join(prefix, "etc", "conda", "activate.d");
    write(join(activate, `activate-binutils_${subdir}.sh`), binutilsActivation(triplet, opts.bare));
    write(join(activate, `activate-gcc_${subdir}.sh`), gccActivation(triplet, hostTriplet, FLAGS[subdir], opts.bare, cross));
    write(join(activate, `activate-gxx_${subdir}.sh`), gxxActivation(triplet, FLAGS[subdir], opts.bare));
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
    installed.push({ subdir, triplet, version, sysroot: hasSysroot ? sysroot : null });
  }

  let go = null;
  if (opts.go !== "none") {
    const goroot = realpathSync("/usr/lib/go");
    const goVersion = execFileSync(join(goroot, "bin", "go"), ["env", "GOVERSION"], { encoding: "utf8", env: { ...process.env, GOTOOLCHAIN: "local" } }).trim().replace(/^go/, "");
    link(goroot, join(prefix, "go"));
    link("../go/bin/go", join(prefix, "bin", "go"));
    link("../go/bin/gofmt", join(prefix, "bin", "gofmt"));
    write(join(prefix, "etc", "conda", "env_vars.d", "go.json"), '{"GOTOOLCHAIN": "local"}\n');
    const variant = opts.go;
    const selectVersion = variant === "cgo" ? "2.3.0" : "2.2.0";
    record(prefix, { name: "go", version: goVersion, build: `h${hash(`go${variant}`, 7)}_0`, subdir: hostSubdir, files: ["go/bin/go", "bin/go"], depends: [`_go_select ==${selectVersion}=${variant}`], options: opts });
    record(prefix, { name: "_go_select", version: selectVersion, build: variant, subdir: hostSubdir, options: opts });
    record(prefix, { name: `go-${variant}`, version: goVersion, build: `h${hash(`meta${variant}`, 7)}_0`, subdir: hostSubdir, depends: [`go ${goVersion}`], options: opts });
    for (const subdir of opts.goActivation) {
      const [goos, goarch] = GOARCH[subdir];
      const name = `go-${variant}_${subdir}`;
      write(
        join(prefix, "etc", "conda", "activate.d", `activate-z61-${name}.sh`),
        `export CGO_ENABLED=${variant === "cgo" ? 1 : 0}\nexport GOOS=${goos}\nexport GOARCH=${goarch}\nexport CONDA_GO_COMPILER=1\nexport GOFLAGS="-modcacherw -buildmode=pie -trimpath"\n`,
      );
      record(prefix, { name, version: goVersion, build: `h${hash(name, 7)}_0`, subdir: hostSubdir, files: [`etc/conda/activate.d/activate-z61-${name}.sh`], options: opts });
    }
    go = { goroot, version: goVersion, variant };
  }

  let python = null;
  if (opts.python) {
    const real = realpathSync("/usr/bin/python3");
    const version = execFileSync(real, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], { encoding: "utf8" }).trim();
    const short = version.split(".").slice(0, 2).join(".");
    link(real, join(prefix, "bin", `python${short}`));
    link(`python${short}`, join(prefix, "bin", "python3"));
    link(`python${short}`, join(prefix, "bin", "python"));
    record(prefix, { name: "python", version, build: `h${hash("py", 7)}_0_cpython`, subdir: hostSubdir, files: [`bin/python${short}`], options: opts });
    python = { interpreter: join(prefix, "bin", `python${short}`), version };
  }

  for (let i = 0; i < opts.filler; i++) {
    const files = Array.from({ length: opts.fillerFileCount }, (_, j) => `lib/python3/site-packages/filler_${i}/module_${j}.py`);
    record(prefix, { name: `filler-package-${i}`, version: "1.0.0", build: "pyhd8ed1ab_0", subdir: "noarch", files, options: opts });
  }
  if (opts.condarc) write(join(prefix, ".condarc"), `subdir: ${hostSubdir}\n`);
  return { prefix, subdir: hostSubdir, compilers: installed, go, python };
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
    process.stderr.write("usage: stand-in-prefix.mjs DIR [--subdirs a,b] [--legacy] [--bare] [--pixi] [--go cgo|nocgo|none] [--no-python] [--go-activation s] [--filler N]\n");
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
    else {
      process.stderr.write(`unknown flag ${flag}\n`);
      process.exit(2);
    }
  }
  const result = buildStandInPrefix(dir, options);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
