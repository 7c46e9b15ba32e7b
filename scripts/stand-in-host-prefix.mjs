#!/usr/bin/env node
// @ts-check
// A conda-build host prefix ($PREFIX) for linux-aarch64, laid out as conda-forge lays one out
// (bin/python3.11, lib/libz.so*, lib/libpython3.11.so, include/python3.11, lib/python3.11,
// conda-meta records named as conda-forge names the packages), made of Debian's real arm64
// builds (debian-arm64.mjs). The packaging is a stand-in; the libraries and the interpreter are
// real aarch64 code, which runs under qemu-aarch64 (see QEMU_ARGS).
//
//   node scripts/stand-in-host-prefix.mjs DIR
import { copyFileSync, cpSync, mkdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureArm64Packages } from "./debian-arm64.mjs";
import { SITECUSTOMIZE, linkEntries, record } from "./stand-in-prefix.mjs";

const SUBDIR = "linux-aarch64";
const MULTIARCH = "aarch64-linux-gnu";

/** Debian's `1:1.2.13.dfsg-1` as conda's `1.2.13`. @param {string} version */
const condaVersion = (version) => /^(?:\d+:)?(\d+(?:\.\d+)*)/.exec(version)?.[1] ?? version;

/** @param {string} target @param {string} path */
function link(target, path) {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

/** A copy of the file `from` (links followed) at `to`. @param {string} from @param {string} to */
function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(realpathSync(from), to);
}

/**
 * Builds the host prefix at `dir` (replacing what is there).
 * @param {string} dir
 * @param {string} [cacheDir] where the Debian packages are kept (debian-arm64.mjs's default)
 */
export function buildStandInHostPrefix(dir, cacheDir) {
  const prefix = resolve(dir);
  const { root, versions } = ensureArm64Packages(cacheDir);
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(join(prefix, "conda-meta"), { recursive: true });
  const debLib = join(root, "lib", MULTIARCH);
  const usrLib = join(root, "usr", "lib", MULTIARCH);
  const lib = join(prefix, "lib");
  const opts = { pixi: false };

  const zlib = condaVersion(versions.zlib1g);
  copy(join(debLib, `libz.so.${zlib}`), join(lib, `libz.so.${zlib}`));
  link(`libz.so.${zlib}`, join(lib, "libz.so.1"));
  link(`libz.so.${zlib}`, join(lib, "libz.so"));
  for (const h of ["zlib.h", "zconf.h"]) copy(join(root, "usr", "include", h), join(prefix, "include", h));
  const zbuild = "h68df207_1";
  record(prefix, { name: "libzlib", version: zlib, build: zbuild, subdir: SUBDIR, files: [`lib/libz.so.${zlib}`, "lib/libz.so.1"], options: opts });
  record(prefix, { name: "zlib", version: zlib, build: zbuild, subdir: SUBDIR, depends: [`libzlib ${zlib} ${zbuild}`], files: ["include/zconf.h", "include/zlib.h", "lib/libz.so"], options: opts });

  const expat = condaVersion(versions.libexpat1);
  const expatFile = readlinkSync(join(debLib, "libexpat.so.1"));
  copy(join(debLib, expatFile), join(lib, expatFile));
  link(expatFile, join(lib, "libexpat.so.1"));
  record(prefix, { name: "libexpat", version: expat, build: "h2f0025b_0", subdir: SUBDIR, files: [`lib/${expatFile}`, "lib/libexpat.so.1"], options: opts });

  // conda's python: the interpreter a real file in bin/ (it finds its stdlib from there), the
  // headers in include/python3.X with the platform's pyconfig.h, the stdlib in lib/python3.X.
  const python = condaVersion(versions["python3.11-minimal"]);
  const short = python.split(".").slice(0, 2).join(".");
  copy(join(root, "usr", "bin", `python${short}`), join(prefix, "bin", `python${short}`));
  link(`python${short}`, join(prefix, "bin", "python3"));
  link(`python${short}`, join(prefix, "bin", "python"));
  cpSync(join(root, "usr", "include", `python${short}`), join(prefix, "include", `python${short}`), { recursive: true, dereference: true });
  copy(join(root, "usr", "include", MULTIARCH, `python${short}`, "pyconfig.h"), join(prefix, "include", `python${short}`, "pyconfig.h"));
  copy(join(usrLib, `libpython${short}.so.1.0`), join(lib, `libpython${short}.so.1.0`));
  link(`libpython${short}.so.1.0`, join(lib, `libpython${short}.so`));
  // The stdlib is large and only read: linked entry by entry, so that lib/python3.X/site-packages
  // is the prefix's own directory, where a build installs its modules, and bytecode the
  // interpreter caches stays in the prefix's own __pycache__.
  const stdlib = join(lib, `python${short}`);
  linkEntries(join(root, "usr", "lib", `python${short}`), stdlib, ["dist-packages", "site-packages", "sitecustomize.py", "__pycache__"]);
  mkdirSync(join(stdlib, "site-packages"));
  writeFileSync(join(stdlib, "sitecustomize.py"), SITECUSTOMIZE);
  record(prefix, {
    name: "python",
    version: python,
    build: "h2a6b3e3_0_cpython",
    subdir: SUBDIR,
    depends: [`libexpat >=${expat}`, "libzlib >=1.2.13"],
    files: [`bin/python${short}`, `include/python${short}/Python.h`, `lib/libpython${short}.so`],
    options: opts,
  });
  return { prefix, subdir: SUBDIR, python: { interpreter: join(prefix, "bin", `python${short}`), version: python }, zlib: { version: zlib } };
}

/** qemu-aarch64 arguments that run a program of this prefix: the cross sysroot's libc, the prefix's libraries. @param {string} prefix */
export function qemuArgs(prefix) {
  return ["-L", `/usr/${MULTIARCH}`, "-E", `LD_LIBRARY_PATH=${join(prefix, "lib")}`];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write("usage: stand-in-host-prefix.mjs DIR\n");
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(buildStandInHostPrefix(dir), null, 2)}\n`);
}
