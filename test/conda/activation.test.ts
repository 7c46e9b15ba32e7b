// The installed activation scripts, in the three shapes conda-forge has shipped, parsed
// without a shell. The texts follow the structure of ctng-compiler-activation's
// activate-gcc.sh / activate-g++.sh and binutils' activate-binutils.sh after templating.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { activationFlags, activationValue, compilerActivationScripts, readActivation } from "../../src/conda/activation.js";
import { scanScript, shellWords } from "../../src/conda/shell-script.js";
import { tempDir } from "../cli/helpers.js";

const TC_FUNCTION = `function _tc_activation() {
  local act_nature=$1; shift
  for pass in check apply; do
    for thing in $tc_nature,$tc_machine "$@"; do
      case "\${thing}" in
        *,*)
          newval=$(echo "\${thing}" | sed "s,^[^\\,]*\\,\\(.*\\),\\1,")
          ;;
        *)
          newval="\${CONDA_PREFIX}/bin/\${tc_prefix}\${thing}"
          if [ ! -x "\${newval}" -a "\${pass}" = "check" ]; then
            return 1
          fi
          ;;
      esac
    done
  done
  return 0
}
`;

// gcc: program list after `activate HOST <machine> <prefix>-`, flags via NAME,value pairs.
const GCC = `#!/bin/bash
${TC_FUNCTION}
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
  env > /tmp/old-env-$$.txt
  CFLAGS_USED="never seen"
fi

_tc_activation \\
  activate HOST x86_64-conda-linux-gnu x86_64-conda-linux-gnu- \\
  cc cpp gcc gcc-ar gcc-nm gcc-ranlib \\
  "CPPFLAGS,\${CPPFLAGS:-\${CPPFLAGS_USED}}" \\
  "CFLAGS,\${CFLAGS:-\${CFLAGS_USED}}" \\
  "LDFLAGS,\${LDFLAGS:-\${LDFLAGS_USED}}" \\
  "CONDA_BUILD_SYSROOT,\${CONDA_PREFIX}/x86_64-conda-linux-gnu/sysroot" \\
  "host_alias,x86_64-conda-linux-gnu"

if [ $? -ne 0 ]; then
  echo "ERROR: $(_get_sourced_filename) failed, see above for details"
fi
`;

// g++ (newer): `activate <prefix>-`, then an absolute CXX pair and flags joined with ${X:+ }.
const GXX = `# shellcheck shell=sh
_tc_activation() {
  local act_nature="$1"; shift
  return 0
}
if [ "\${CONDA_BUILD:-0}" = "1" ]; then
  CXXFLAGS_USED="-fvisibility-inlines-hidden -O2 -isystem \${PREFIX}/include"
else
  CXXFLAGS_USED="-fvisibility-inlines-hidden -O2 -isystem \${CONDA_PREFIX}/include"
fi
_tc_activation \\
  activate x86_64-conda-linux-gnu- \\
  "CXX,\${CONDA_PREFIX}/bin/x86_64-conda-linux-gnu-c++" c++ g++ \\
  "CXXFLAGS,\${CXXFLAGS_USED}\${CXXFLAGS:+ }\${CXXFLAGS:-}" \\
  "CXX_FOR_BUILD,\${CONDA_PREFIX}/bin/x86_64-conda-linux-gnu-c++"
`;

// binutils: only NAME,value pairs; gcc >= 14.4 activations use bare names.
const BINUTILS = `# shellcheck shell=sh
_tc_activation() {
  for thing in "$@"; do
    case "\${thing}" in
      *,*) newval="\${thing#*,}" ;;
    esac
  done
}
_tc_activation "ADDR2LINE,x86_64-conda-linux-gnu-addr2line" "AR,x86_64-conda-linux-gnu-ar" "LD,\${CONDA_PREFIX}/bin/x86_64-conda-linux-gnu-ld" "NM,x86_64-conda-linux-gnu-nm"
`;

describe("activation scripts", () => {
  const prefix = "/opt/my envs/dev";

  it("take the interactive branch of the gcc script and expand CONDA_PREFIX only", () => {
    const { activationCalls } = scanScript(GCC, { CONDA_PREFIX: prefix });
    expect(activationCalls).toHaveLength(1);
    expect(activationCalls[0]).toContain(`CFLAGS,-march=nocona -O2 -isystem ${prefix}/include`);
    expect(activationCalls[0]).toContain(`LDFLAGS,-Wl,-O2 -Wl,--gc-sections -Wl,-rpath,${prefix}/lib -L${prefix}/lib`);
  });

  function installed(scripts: Record<string, string>): string {
    const dir = tempDir("conda-bazel-prefix ");
    mkdirSync(join(dir, "etc", "conda", "activate.d"), { recursive: true });
    for (const [name, text] of Object.entries(scripts)) writeFileSync(join(dir, "etc", "conda", "activate.d", name), text);
    return dir;
  }

  it("give tools (program lists, absolute and bare pairs) and flags split into words", () => {
    const dir = installed({ "activate-gcc_linux-64.sh": GCC, "activate-gxx_linux-64.sh": GXX, "activate-binutils_linux-64.sh": BINUTILS });
    const names = compilerActivationScripts(["activate-z61-go-cgo_linux-64.sh", "activate-gxx_linux-64.sh", "activate-gcc_linux-64.sh", "activate-binutils_linux-64.sh", "activate-gcc_linux-aarch64.sh"], "linux-64");
    expect(names).toEqual(["activate-binutils_linux-64.sh", "activate-gcc_linux-64.sh", "activate-gxx_linux-64.sh"]);
    const a = readActivation(dir, names);
    expect(activationValue(a, "CC")).toBe(join(dir, "bin", "x86_64-conda-linux-gnu-cc"));
    expect(activationValue(a, "GCC_AR")).toBe(join(dir, "bin", "x86_64-conda-linux-gnu-gcc-ar"));
    // The program list's c++ maps to CXX the way `tr 'a-z+-' 'A-ZX_'` does, after the pair.
    expect(activationValue(a, "CXX")).toBe(join(dir, "bin", "x86_64-conda-linux-gnu-c++"));
    expect(activationValue(a, "GXX")).toBe(join(dir, "bin", "x86_64-conda-linux-gnu-g++"));
    expect(activationValue(a, "AR")).toBe("x86_64-conda-linux-gnu-ar");
    expect(activationValue(a, "LD")).toBe(join(dir, "bin", "x86_64-conda-linux-gnu-ld"));
    expect(activationFlags(a, "CFLAGS")).toEqual(["-march=nocona", "-O2", "-isystem", join(dir, "include")]);
    expect(activationFlags(a, "CXXFLAGS")).toEqual(["-fvisibility-inlines-hidden", "-O2", "-isystem", join(dir, "include")]);
    expect(activationFlags(a, "LDFLAGS")).toEqual(["-Wl,-O2", "-Wl,--gc-sections", `-Wl,-rpath,${dir}/lib`, `-L${dir}/lib`]);
    expect(activationFlags(a, "FFLAGS")).toBeUndefined();
  });

  it("ignore the caller's environment: a variable the script does not set is unset", () => {
    process.env.CFLAGS_USED_LEAK = "leak";
    const { exports } = scanScript('export X="${CFLAGS_USED_LEAK:-default} ${HOME}"\n', { CONDA_PREFIX: prefix });
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
