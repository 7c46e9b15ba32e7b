// The installed activation scripts, in the shapes conda-forge has shipped, parsed without a
// shell and checked against bash sourcing the same script in a clean environment. The texts
// follow the structure of ctng-compiler-activation's activate-gcc.sh / activate-g++.sh and
// binutils' activate-binutils.sh after templating (function definitions, conda-build branch,
// nested ifs, `${X:-${X_USED}}` values, program lists, bare and absolute tool values).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { activationFlags, activationValue, compilerActivationScripts, listActivateDir, readActivation } from "../../src/conda/activation.js";
import { scanScript, shellWords } from "../../src/conda/shell-script.js";
import { standInPrefix, tempDir } from "../cli/helpers.js";

/** `activate HOST <machine> <prefix>- things...`: a thing is `NAME,value` or a program. */
const TC_FUNCTION_HOST = `function _tc_activation() {
  local act_nature=$1; shift
  local tc_nature=$1; shift
  local tc_machine=$1; shift
  local tc_prefix=$1; shift
  local thing newval
  for thing in "$@"; do
    case "\${thing}" in
      *,*)
        newval="\${thing#*,}"
        thing="\${thing%%,*}"
        ;;
      *)
        newval="\${CONDA_PREFIX}/bin/\${tc_prefix}\${thing}"
        thing=$(echo \${thing} | tr 'a-z+-' 'A-ZX_')
        if [ ! -x "\${newval}" ]; then
          echo "ERROR: This cross-compiler package contains no program \${newval}"
          return 1
        fi
        ;;
    esac
    eval export "'\${thing}=\${newval}'"
  done
  return 0
}
`;

// gcc: program list after `activate HOST <machine> <prefix>-`, flags via NAME,value pairs.
const GCC = `#!/bin/bash
${TC_FUNCTION_HOST}
# The compiler adds $PREFIX/lib to rpath, so it's better to add -L and -isystem as well.
if [ "\${CONDA_BUILD:-0}" = "1" ]; then
  CFLAGS_USED="-march=nocona -O2 -isystem \${PREFIX}/include -fdebug-prefix-map=\${SRC_DIR}=/usr/local/src/conda/\${PKG_NAME}-\${PKG_VERSION}"
  LDFLAGS_USED="-Wl,-O2 -Wl,--gc-sections -Wl,-rpath,\${PREFIX}/lib -L\${PREFIX}/lib"
  CPPFLAGS_USED="-DNDEBUG -isystem \${PREFIX}/include"
else
  CFLAGS_USED="-march=nocona -O2 -isystem \${CONDA_PREFIX}/include"
  CPPFLAGS_USED="-DNDEBUG -isystem \${CONDA_PREFIX}/include"
  LDFLAGS_USED="-Wl,-O2 -Wl,--gc-sections -Wl,-rpath,\${CONDA_PREFIX}/lib -L\${CONDA_PREFIX}/lib"
fi

if [ "\${CONDA_BUILD:-0}" = "1" ]; then
  if [ -f /tmp/old-env-$$.txt ]; then
    rm -f /tmp/old-env-$$.txt || true
  fi
  CFLAGS_USED="never seen"
fi

_SYSCONFIG_USED=\${_SYSCONFIG:-_sysconfigdata_x86_64_conda_linux_gnu}
if [ -n "\${_SYSCONFIG_USED}" ] && [ -n "\${SYS_SYSROOT}" ]; then
  if find "$(dirname $(dirname \${SYS_PYTHON}))/lib/"python* -type f -exec false {} +; then
    echo "WARNING: $(dirname $(dirname \${SYS_PYTHON}))"
  fi
fi

_tc_activation \\
  activate HOST x86_64-conda-linux-gnu x86_64-conda-linux-gnu- \\
  cc cpp gcc gcc-ar \\
  "CPPFLAGS,\${CPPFLAGS:-\${CPPFLAGS_USED}}" \\
  "CFLAGS,\${CFLAGS:-\${CFLAGS_USED}}" \\
  "LDFLAGS,\${LDFLAGS:-\${LDFLAGS_USED}}" \\
  "_SYSCONFIG,\${_SYSCONFIG_USED}" \\
  "CONDA_BUILD_SYSROOT,\${CONDA_PREFIX}/x86_64-conda-linux-gnu/sysroot" \\
  "CONDA_BUILD_CROSS_COMPILATION," \\
  "host_alias,x86_64-conda-linux-gnu"

if [ $? -ne 0 ]; then
  echo "ERROR: activation failed"
fi
`;

// g++ (newer): `activate <prefix>-`, then an absolute CXX pair and flags joined with ${X:+ }.
const GXX = `# shellcheck shell=sh
_tc_activation() {
  local act_nature="$1"; shift
  local tc_prefix="$1"; shift
  local thing newval
  for thing in "$@"; do
    case "\${thing}" in
      *,*) newval="\${thing#*,}"; thing="\${thing%%,*}" ;;
      *) newval="\${CONDA_PREFIX}/bin/\${tc_prefix}\${thing}"; thing=$(echo "\${thing}" | tr 'a-z+-' 'A-ZX_') ;;
    esac
    eval export "'\${thing}=\${newval}'"
  done
  return 0
}
if [ "\${CONDA_BUILD:-0}" = "1" ]; then
  CXXFLAGS_USED="-fvisibility-inlines-hidden -O2 -isystem \${PREFIX}/include"
else
  CXXFLAGS_USED="-fvisibility-inlines-hidden -O2 -isystem \${CONDA_PREFIX}/include"
fi
_tc_activation \\
  activate x86_64-conda-linux-gnu- \\
  "CXX,\${CONDA_PREFIX}/bin/x86_64-conda-linux-gnu-c++" g++ \\
  "CXXFLAGS,\${CXXFLAGS_USED}\${CXXFLAGS:+ }\${CXXFLAGS:-}" \\
  "CXX_FOR_BUILD,\${CONDA_PREFIX}/bin/x86_64-conda-linux-gnu-c++"
`;

// binutils >= 2.45.1: only NAME,value pairs, bare names.
const BINUTILS = `# shellcheck shell=sh
_tc_activation() {
  local thing newval
  for thing in "$@"; do
    case "\${thing}" in
      *,*) newval="\${thing#*,}"; thing="\${thing%%,*}" ;;
      *) echo "ERROR: unrecognized argument to activation function"; return 1 ;;
    esac
    eval export "'\${thing}=\${newval}'"
  done
  return 0
}
_tc_activation "ADDR2LINE,x86_64-conda-linux-gnu-addr2line" "AR,x86_64-conda-linux-gnu-ar" "LD,\${CONDA_PREFIX}/bin/x86_64-conda-linux-gnu-ld" "NM,x86_64-conda-linux-gnu-nm"
`;

/** What bash exports after sourcing `scripts` in a clean shell with CONDA_PREFIX set. The
 * stand-in's scripts call `_tc_activation` without defining it, as conda-forge's older
 * binutils scripts did; they get the HOST form defined first. */
function bashExports(prefix: string, scripts: readonly string[]): Map<string, string> {
  const dir = join(prefix, "etc", "conda", "activate.d");
  const source = scripts.map((s) => `. '${join(dir, s)}' >/dev/null`).join("\n");
  const clean = { PATH: "/usr/bin:/bin", CONDA_PREFIX: prefix };
  const before = spawnSync("bash", ["-c", "env -0"], { env: clean, encoding: "utf8" });
  const after = spawnSync("bash", ["-c", `${TC_FUNCTION_HOST}\n${source}\nenv -0`], { env: clean, encoding: "utf8" });
  if (after.status !== 0) throw new Error(`bash failed: ${after.stderr}`);
  const vars = (out: string) => new Map(out.split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)] as [string, string]));
  const base = vars(before.stdout);
  return new Map([...vars(after.stdout)].filter(([k, v]) => base.get(k) !== v && k !== "_"));
}

/** Every variable bash exports, our parse gives the same value (flags: the same words). */
function expectSameAsBash(prefix: string, scripts: readonly string[]) {
  const ours = readActivation(prefix, scripts);
  const bash = bashExports(prefix, scripts);
  expect(bash.size).toBeGreaterThan(3);
  for (const [name, value] of bash) expect(activationValue(ours, name), name).toBe(value);
  return ours;
}

function installed(scripts: Record<string, string>): string {
  const dir = tempDir("conda-bazel-prefix ");
  mkdirSync(join(dir, "etc", "conda", "activate.d"), { recursive: true });
  mkdirSync(join(dir, "bin"));
  for (const [name, text] of Object.entries(scripts)) writeFileSync(join(dir, "etc", "conda", "activate.d", name), text);
  for (const tool of ["cc", "cpp", "gcc", "gcc-ar", "g++"]) writeFileSync(join(dir, "bin", `x86_64-conda-linux-gnu-${tool}`), "#!/bin/sh\n", { mode: 0o755 });
  return dir;
}

describe("activation scripts", () => {
  it("give what bash gives: the interactive branch, tools and flags, in a prefix with spaces", () => {
    const dir = installed({ "activate-gcc_linux-64.sh": GCC, "activate-gxx_linux-64.sh": GXX, "activate-binutils_linux-64.sh": BINUTILS });
    const names = compilerActivationScripts(["activate-z61-go-cgo_linux-64.sh", ...listActivateDir(dir), "activate-gcc_linux-aarch64.sh"], "linux-64");
    expect(names).toEqual(["activate-binutils_linux-64.sh", "activate-gcc_linux-64.sh", "activate-gxx_linux-64.sh"]);
    const a = expectSameAsBash(dir, names);
    expect(activationValue(a, "CC")).toBe(join(dir, "bin", "x86_64-conda-linux-gnu-cc"));
    expect(activationValue(a, "GXX")).toBe(join(dir, "bin", "x86_64-conda-linux-gnu-g++"));
    expect(activationValue(a, "AR")).toBe("x86_64-conda-linux-gnu-ar");
    expect(activationFlags(a, "CFLAGS")).toEqual(["-march=nocona", "-O2", "-isystem", join(dir, "include")]);
    expect(activationFlags(a, "CXXFLAGS")).toEqual(["-fvisibility-inlines-hidden", "-O2", "-isystem", join(dir, "include")]);
    expect(activationFlags(a, "LDFLAGS")).toEqual(["-Wl,-O2", "-Wl,--gc-sections", `-Wl,-rpath,${dir}/lib`, `-L${dir}/lib`]);
    expect(activationFlags(a, "FFLAGS")).toBeUndefined();
  });

  for (const [what, options] of [
    ["absolute tool paths", {}],
    ["bare tool names", { bare: true }],
    ["legacy triplets", { legacy: true }],
  ] as const) {
    it(`of the stand-in prefix (${what}) give what bash gives`, () => {
      const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"], ...options });
      const scripts = readdirSync(join(prefix, "etc", "conda", "activate.d"));
      for (const subdir of ["linux-64", "linux-aarch64"]) expectSameAsBash(prefix, compilerActivationScripts(scripts, subdir));
    });
  }

  it("ignore the caller's environment: a variable the script does not set is unset", () => {
    process.env.CFLAGS_USED_LEAK = "leak";
    const { exports } = scanScript('export X="${CFLAGS_USED_LEAK:-default} ${HOME}"\n', { CONDA_PREFIX: "/p" });
    expect(exports.get("X")).toBe("default ");
    delete process.env.CFLAGS_USED_LEAK;
  });

  it("collect the exports of go-activation", () => {
    const text = 'export CGO_ENABLED=1\nexport GOOS=linux\nexport GOARCH=arm64\nexport CONDA_GO_COMPILER=1\nexport GOFLAGS="-modcacherw -buildmode=pie -trimpath"\n';
    expect(Object.fromEntries(scanScript(text, {}).exports)).toEqual({ CGO_ENABLED: "1", GOOS: "linux", GOARCH: "arm64", CONDA_GO_COMPILER: "1", GOFLAGS: "-modcacherw -buildmode=pie -trimpath" });
  });
});

describe("shell words", () => {
  const vars = new Map([["A", "x y"], ["E", ""]]);
  it("split like sh", () => {
    expect(shellWords(`"\${A}" '\${A}' \${E:-d} \${E-d} \${A:+set} \\"q\\" a"b"c # comment`, vars)).toEqual(["x y", "${A}", "d", "", "set", '"q"', "abc"]);
    expect(shellWords(`one; two`, vars)).toEqual(["one"]);
  });
});
