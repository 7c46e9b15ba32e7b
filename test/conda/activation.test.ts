// Activation scripts in the shapes conda-forge ships, run by conda-bazel and compared with a plain
// bash sourcing the same scripts in the prefix itself, as `conda activate` does. The fixtures are
// written here in the structure of ctng-compiler-activation's activate-gcc.sh / activate-g++.sh
// and binutils' activate-binutils.sh after templating: the dead Windows block, templated
// if/elif/else chains, `_tc_activation` (both generations), `${VAR:+ }` joins, the conda-build
// branch, a here-doc, `$(...)`.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { activationFlags, activationValue, compilerActivationScripts, listActivateDir, readActivation, type ActivationContext } from "../../src/conda/activation.js";
import { runActivation } from "../../src/conda/run-activation.js";
import { UsageError } from "../../src/errors.js";
import { cleanEnv, cli, expectOneLine, standInPrefix, tempDir } from "../cli/helpers.js";

/** Today's `_tc_activation`: NAME,value pairs, the old value kept in CONDA_BACKUP_NAME. */
const TC_2026 = `_tc_activation() {
  local thing
  local newval
  for thing in "$@"; do
    case "\${thing}" in
      *,*)
        newval="\${thing#*,}"
        thing="\${thing%%,*}"
        ;;
      *)
        echo "ERROR: unrecognized argument to activation function"
        return 1
        ;;
    esac
    eval oldval="\\\${$thing:-}"
    if [ -n "\${oldval:-}" ]; then
      eval export "CONDA_BACKUP_'\${thing}'=\\"\${oldval}\\""
    fi
    eval export "'\${thing}=\${newval}'"
  done
  return 0
}
`;

const WIN_FIXUP = `if [ "0" = "1" ]; then
  CONDA_PREFIX=$(echo "\${CONDA_PREFIX:-}" | sed 's,\\\\,\\/,g')
fi
`;

/** gcc_linux-aarch64 in a linux-64 env as rendered in 2026: a cross compiler, bare names. */
const GCC_CROSS = `# shellcheck shell=sh
${TC_2026}
${WIN_FIXUP}
if [ "\${CONDA_BUILD:-0}" = "1" ]; then
  CFLAGS_USED="-O3 -pipe -fno-merge-constants -isystem \${PREFIX}/include -fdebug-prefix-map=\${SRC_DIR}=/usr/local/src/conda/\${PKG_NAME}-\${PKG_VERSION}"
  if [ "Linux" = "Linux" ]; then
    LDFLAGS_USED="-Wl,-O2 -Wl,-rpath,\${PREFIX}/lib -L\${PREFIX}/lib"
  elif [ "Linux" = "Darwin" ]; then
    LDFLAGS_USED="-Wl,-O2 -Wl,-rpath,\${PREFIX}/lib"
  else
    LDFLAGS_USED="-Wl,-O2 -L\${PREFIX}/lib"
  fi
else
  CFLAGS_USED="-ftree-vectorize -fPIC -O3 -pipe -isystem \${CONDA_PREFIX}/include"
  if [ "Linux" = "Linux" ]; then
    LDFLAGS_USED="-Wl,-O2 -Wl,--allow-shlib-undefined -Wl,-rpath,\${CONDA_PREFIX}/lib -Wl,-rpath-link,\${CONDA_PREFIX}/lib -L\${CONDA_PREFIX}/lib"
  elif [ "Linux" = "Darwin" ]; then
    LDFLAGS_USED="-Wl,-O2 -Wl,-rpath,\${CONDA_PREFIX}/lib -L\${CONDA_PREFIX}/lib"
  else
    LDFLAGS_USED="-Wl,-O2 -L\${CONDA_PREFIX}/lib"
  fi
fi
if [ "\${CONDA_BUILD:-0}" = "1" ]; then
  env > /tmp/old-env-$$.txt
fi
_MESON_ARGS="-Dbuildtype=release"
if [ "1" = "1" ]; then
  _MESON_ARGS="\${_MESON_ARGS} --cross-file=\${CONDA_PREFIX}/meson_cross_file.txt"
  cat > "\${CONDA_PREFIX}/meson_cross_file.txt" <<EOF
[host_machine]
system = 'linux'
cpu = '$(echo aarch64-conda-linux-gnu | cut -d - -f 1)'
EOF
fi
_tc_activation \\
  "HOST,aarch64-conda-linux-gnu" \\
  "CC,aarch64-conda-linux-gnu-cc" \\
  "CC_FOR_BUILD,x86_64-conda-linux-gnu-cc" \\
  "CFLAGS,\${CFLAGS_USED}\${CFLAGS:+ }\${CFLAGS:-}" \\
  "LDFLAGS,\${LDFLAGS_USED}\${LDFLAGS:+ }\${LDFLAGS:-}" \\
  "CONDA_BUILD_CROSS_COMPILATION,1" \\
  "MESON_ARGS,\${_MESON_ARGS}"
unset _MESON_ARGS
if [ "1" = "1" ] && [ "Linux" = "Linux" ]; then
  _tc_activation "QEMU_LD_PREFIX,\${QEMU_LD_PREFIX:-\${CONDA_BUILD_SYSROOT}}"
fi
_tc_activation "CONDA_BUILD_SYSROOT,\${CONDA_PREFIX}/aarch64-conda-linux-gnu/sysroot"
if [ $? -ne 0 ]; then
  echo "ERROR: $(basename "\${BASH_SOURCE[0]}") failed, see above for details"
fi
${WIN_FIXUP}`;

const GXX_CROSS = `${TC_2026}
${WIN_FIXUP}
if [ "\${CONDA_BUILD:-0}" = "1" ]; then
  CXXFLAGS_USED="-fvisibility-inlines-hidden -O3 -isystem \${PREFIX}/include"
else
  CXXFLAGS_USED="-fvisibility-inlines-hidden -O3 -isystem \${CONDA_PREFIX}/include"
fi
_tc_activation "CXX,aarch64-conda-linux-gnu-c++" "CXXFLAGS,\${CXXFLAGS_USED}\${CXXFLAGS:+ }\${CXXFLAGS:-}"
`;

const BINUTILS_CROSS = `${TC_2026}
${WIN_FIXUP}
_tc_activation \\
  "AR,aarch64-conda-linux-gnu-ar" \\
  "LD,aarch64-conda-linux-gnu-ld" \\
  "NM,aarch64-conda-linux-gnu-nm"
`;

/** gcc_linux-64 before 2025-12: `activate <prefix>- programs... NAME,value...`; a program is
 * checked to exist in ${CONDA_PREFIX}/bin first, and then named by its absolute path. */
const GCC_2025 = `_tc_activation() {
  local act_nature="$1"; shift
  local tc_prefix="$1"; shift
  local thing newval pass
  for pass in check apply; do
    for thing in "$@"; do
      case "\${thing}" in
        *,*)
          newval=$(echo "\${thing}" | sed "s,^[^\\,]*\\,\\(.*\\),\\1,")
          thing=$(echo "\${thing}" | sed "s,^\\([^\\,]*\\)\\,.*,\\1,")
          ;;
        *)
          newval="\${CONDA_PREFIX}/bin/\${tc_prefix}\${thing}"
          thing=$(echo "\${thing}" | tr 'a-z+-' 'A-ZX_')
          if [ ! -x "\${newval}" ] && [ "\${pass}" = "check" ]; then
            echo "ERROR: This cross-compiler package contains no program \${newval}"
            return 1
          fi
          ;;
      esac
      if [ "\${pass}" = "apply" ]; then
        eval export "'\${thing}=\${newval}'"
      fi
    done
  done
  return 0
}
${WIN_FIXUP}
if [ "\${CONDA_BUILD:-0}" = "1" ]; then
  CFLAGS_USED="-march=nocona -O2 -isystem \${PREFIX}/include"
else
  CFLAGS_USED="-march=nocona -O2 -isystem \${CONDA_PREFIX}/include"
fi
_tc_activation activate x86_64-conda-linux-gnu- cc cpp gcc \\
  "CFLAGS,\${CFLAGS_USED}\${CFLAGS:+ }\${CFLAGS:-}" \\
  "LDFLAGS,-Wl,-O2 -Wl,--gc-sections -Wl,-rpath,\${CONDA_PREFIX}/lib -L\${CONDA_PREFIX}/lib"
if [ $? -ne 0 ]; then
  echo "ERROR: $(basename "\${BASH_SOURCE[0]}") failed, see above for details"
fi
`;

/** A prefix holding `scripts` in activate.d, and bin/ programs for the older check. */
function installed(scripts: Record<string, string>, label = "conda-bazel-prefix "): string {
  const dir = tempDir(label);
  mkdirSync(join(dir, "etc", "conda", "activate.d"), { recursive: true });
  mkdirSync(join(dir, "bin"));
  mkdirSync(join(dir, "conda-meta"));
  for (const [name, text] of Object.entries(scripts)) writeFileSync(join(dir, "etc", "conda", "activate.d", name), text);
  for (const tool of ["cc", "cpp", "gcc"]) writeFileSync(join(dir, "bin", `x86_64-conda-linux-gnu-${tool}`), "#!/bin/sh\n", { mode: 0o755 });
  return dir;
}

const context = (): ActivationContext => ({ cacheDir: tempDir("conda-bazel-cache-"), path: process.env.PATH });

/** What a plain bash exports after sourcing `scripts` in the prefix itself (CONDA_PREFIX=prefix). */
function bashExports(prefix: string, scripts: readonly string[]): Map<string, string> {
  const paths = scripts.map((s) => join(prefix, "etc", "conda", "activate.d", s));
  const clean = { PATH: "/usr/bin:/bin", CONDA_PREFIX: prefix };
  const run = spawnSync("bash", ["--noprofile", "--norc", "-c", 'for s in "$@"; do . "$s" >/dev/null; done; env -0', "bash", ...paths], { env: clean, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`bash failed: ${run.stderr}`);
  const entries = run.stdout.split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)] as [string, string]);
  return new Map(entries.filter(([k, v]) => !/^(_|SHLVL|PWD|CONDA_BACKUP_.*)$/.test(k) && (clean as Record<string, string>)[k] !== v));
}

/** Same variables, same values (prefix in place) as bash; returns ours. */
async function expectSameAsBash(prefix: string, scripts: readonly string[]) {
  const ours = await readActivation(prefix, scripts, context());
  const bash = bashExports(prefix, scripts);
  expect(bash.size).toBeGreaterThan(2);
  expect([...ours.values.keys()].sort()).toEqual([...bash.keys()].sort());
  for (const [name, value] of bash) expect(activationValue(ours, name), name).toBe(value);
  return ours;
}

describe("activation scripts run as conda activate runs them", () => {
  it("give exactly what bash gives: one branch of each chain, the interactive flags, nothing written into the prefix", async () => {
    const dir = installed({ "activate-binutils_linux-aarch64.sh": BINUTILS_CROSS, "activate-gcc_linux-aarch64.sh": GCC_CROSS, "activate-gxx_linux-aarch64.sh": GXX_CROSS });
    const names = compilerActivationScripts(["activate-z61-go-cgo_linux-aarch64.sh", ...listActivateDir(dir), "activate-gcc_linux-64.sh"], "linux-aarch64");
    expect(names).toEqual(["activate-binutils_linux-aarch64.sh", "activate-gcc_linux-aarch64.sh", "activate-gxx_linux-aarch64.sh"]);
    const ours = await readActivation(dir, names, context());
    expect(existsSync(join(dir, "meson_cross_file.txt")), "conda-bazel wrote into the prefix").toBe(false);
    expect(activationFlags(ours, "CFLAGS")).toEqual(["-ftree-vectorize", "-fPIC", "-O3", "-pipe", "-isystem", join(dir, "include")]);
    expect(activationFlags(ours, "LDFLAGS")).toEqual(["-Wl,-O2", "-Wl,--allow-shlib-undefined", `-Wl,-rpath,${dir}/lib`, `-Wl,-rpath-link,${dir}/lib`, `-L${dir}/lib`]);
    expect(activationValue(ours, "CC")).toBe("aarch64-conda-linux-gnu-cc");
    expect(activationValue(ours, "MESON_ARGS")).toBe(`-Dbuildtype=release --cross-file=${dir}/meson_cross_file.txt`);
    expect(activationValue(ours, "QEMU_LD_PREFIX")).toBe("");
    expect(activationValue(ours, "CONDA_PREFIX")).toBeUndefined();
    await expectSameAsBash(dir, names);
    expect(readFileSync(join(dir, "meson_cross_file.txt"), "utf8")).toContain("cpu = 'aarch64'");
  });

  it("give the older generation's absolute programs, which it checks in the prefix's bin/", async () => {
    const dir = installed({ "activate-gcc_linux-64.sh": GCC_2025 }, "conda-bazel-prefix with spaces ");
    const ours = await expectSameAsBash(dir, ["activate-gcc_linux-64.sh"]);
    expect(activationValue(ours, "CC")).toBe(join(dir, "bin", "x86_64-conda-linux-gnu-cc"));
    expect(activationFlags(ours, "CFLAGS")).toEqual(["-march=nocona", "-O2", "-isystem", join(dir, "include")]);
  });

  for (const [what, options] of [
    ["absolute tool paths", {}],
    ["bare tool names", { bare: true }],
    ["legacy triplets", { legacy: true }],
  ] as const) {
    it(`of the stand-in prefix (${what}) give what bash gives, each target from its own scripts`, async () => {
      const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64", "linux-ppc64le"], go: "none", python: false, ...options });
      const scripts = readdirSync(join(prefix, "etc", "conda", "activate.d"));
      const arm = await expectSameAsBash(prefix, compilerActivationScripts(scripts, "linux-aarch64"));
      expect(activationValue(arm, "CC")).toMatch(/aarch64-conda(_cos7)?-linux-gnu-cc$/);
      expect(activationFlags(arm, "CFLAGS")).not.toContain("-march=nocona");
      for (const subdir of ["linux-64", "linux-ppc64le"]) await expectSameAsBash(prefix, compilerActivationScripts(scripts, subdir));
      // Why each target runs alone: all scripts in one shell leave ppc64le's CC and every target's CFLAGS.
      const all = bashExports(prefix, scripts.filter((s) => s.endsWith(".sh")).sort());
      expect(all.get("CC")).toMatch(/powerpc64le-conda(_cos7)?-linux-gnu-cc$/);
      expect(all.get("CFLAGS")).toContain("-march=nocona");
      expect(all.get("CFLAGS")).toContain("-mcpu=power8");
    });
  }

  it("ignore the caller's environment: variables the scripts append to start unset", async () => {
    const dir = installed({ "activate-gxx_linux-aarch64.sh": GXX_CROSS });
    process.env.CXXFLAGS = "-DLEAK";
    try {
      const ours = await readActivation(dir, ["activate-gxx_linux-aarch64.sh"], context());
      expect(activationFlags(ours, "CXXFLAGS")).toEqual(["-fvisibility-inlines-hidden", "-O3", "-isystem", join(dir, "include")]);
    } finally {
      delete process.env.CXXFLAGS;
    }
  });
});

describe("activation results are cached by the scripts' content", () => {
  /** A PATH whose bash logs each start. */
  function countingBash(): { path: string; runs: () => number } {
    const dir = tempDir();
    const log = join(dir, "runs.log");
    writeFileSync(join(dir, "bash"), `#!/bin/sh\necho run >> '${log}'\nexec /bin/bash "$@"\n`, { mode: 0o755 });
    return { path: `${dir}:/usr/bin:/bin`, runs: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0) };
  }

  it("run bash once; a changed script, or a cache entry that does not hold up, runs it again", async () => {
    const dir = installed({ "activate-gxx_linux-aarch64.sh": GXX_CROSS });
    const bash = countingBash();
    const ctx = { cacheDir: tempDir("conda-bazel-cache-"), path: bash.path };
    const first = await readActivation(dir, ["activate-gxx_linux-aarch64.sh"], ctx);
    expect(bash.runs()).toBe(1);
    expect(await readActivation(dir, ["activate-gxx_linux-aarch64.sh"], ctx)).toEqual(first);
    expect(bash.runs()).toBe(1);
    const [entry] = readdirSync(ctx.cacheDir).filter((f) => f.startsWith("activation-"));
    const cached = JSON.parse(readFileSync(join(ctx.cacheDir, entry!), "utf8")) as { key: string; values: Record<string, unknown> };
    writeFileSync(join(ctx.cacheDir, entry!), JSON.stringify({ ...cached, values: { ...cached.values, CXX: 42 } }));
    expect(await readActivation(dir, ["activate-gxx_linux-aarch64.sh"], ctx)).toEqual(first);
    expect(bash.runs()).toBe(2);
    writeFileSync(join(dir, "etc", "conda", "activate.d", "activate-gxx_linux-aarch64.sh"), GXX_CROSS.replaceAll("-O3", "-O2"));
    const changed = await readActivation(dir, ["activate-gxx_linux-aarch64.sh"], ctx);
    expect(bash.runs()).toBe(3);
    expect(activationFlags(changed, "CXXFLAGS")).toContain("-O2");
  });
});

describe("a broken activation script", () => {
  const fails = async (dir: string, names: string[], message: RegExp, limit?: number) => {
    const path = (name: string) => join(dir, "etc", "conda", "activate.d", name);
    const run = limit === undefined ? readActivation(dir, names, context()) : runActivation("/bin/bash", dir, names.map((name) => ({ name, path: path(name), text: readFileSync(path(name), "utf8") })), limit);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  };

  it("that reports an error, ends the shell or hangs is named", async () => {
    const dir = installed({ "activate-gcc_linux-64.sh": GCC_2025, "activate-a.sh": "exit 3\n", "activate-b.sh": "sleep 30 &\nsleep 30\n" });
    rmSync(join(dir, "bin", "x86_64-conda-linux-gnu-cpp"));
    await fails(dir, ["activate-gcc_linux-64.sh"], /activate-gcc_linux-64\.sh reported "ERROR: This cross-compiler package contains no program .*x86_64-conda-linux-gnu-cpp"/);
    await fails(dir, ["activate-a.sh"], /activate-a\.sh ended the shell \(exit status 3\)/);
    const started = Date.now();
    await fails(dir, ["activate-b.sh"], /activate-b\.sh did not finish within 0\.5 s/, 500);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("that is not a regular file (a FIFO, a link to /dev/zero) is refused without blocking or reading it", async () => {
    const dir = installed({});
    const activate = join(dir, "etc", "conda", "activate.d");
    spawnSync("mkfifo", [join(activate, "activate-fifo_linux-64.sh")]);
    symlinkSync("/dev/zero", join(activate, "activate-zero_linux-64.sh"));
    await fails(dir, ["activate-fifo_linux-64.sh"], /activate-fifo_linux-64\.sh is not a regular file/);
    await fails(dir, ["activate-zero_linux-64.sh"], /activate-zero_linux-64\.sh is not a regular file/);
  });

  it("makes describe exit 2 with one line naming it", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"], go: "none", python: false });
    const script = join(prefix, "etc", "conda", "activate.d", "activate-gcc_linux-64.sh");
    writeFileSync(script, `${readFileSync(script, "utf8")}\nexit 1\n`);
    chmodSync(script, 0o644);
    const result = await cli(["describe", "--prefix", prefix, "--json"], cleanEnv(tempDir()));
    expect(result.exitCode).toBe(2);
    expect(expectOneLine(result.stderr)).toContain(`activation script ${script} ended the shell (exit status 1)`);
  });
});
