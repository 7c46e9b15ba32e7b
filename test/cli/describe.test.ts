// describe on stand-in prefixes, checked against what the real compilers say.
import { execa } from "execa";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { EnvironmentSchema, type Environment, type Toolchain } from "../../src/environment.js";
import { cleanEnv, cli, standInPrefix, tempDir, type StandInOptions } from "./helpers.js";

const cache = tempDir("conda-bazel-cache-");

async function describeJson(prefix: string, extraArgs: string[] = [], env = cleanEnv(cache)): Promise<Environment> {
  const result = await cli(["describe", "--json", "--prefix", prefix, ...extraArgs], env);
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  return EnvironmentSchema.parse(JSON.parse(result.stdout));
}

async function real(file: string, args: string[], input = ""): Promise<string> {
  const { stdout, stderr } = await execa(file, args, { input, env: { LC_ALL: "C" } });
  return `${stdout}${stderr}`;
}

/** What a user notices: the compiler's answers, and a header include Bazel would accept
 * (every header the real compiler reads lies under a reported builtin include directory).
 * Bazel's cc_configure compiles with -fno-canonical-system-headers, so the check does too:
 * Debian's mingw headers are per-file symlinks that gcc would otherwise report resolved.
 * Bazel reads the dependency file into normalised paths (`a/../b` is `b`); so does the check. */
async function expectMatchesRealCompiler(t: Toolchain) {
  expect(t.version).toBe((await real(t.cc, ["-dumpfullversion", "-dumpversion"])).trim());
  expect(t.machine).toBe((await real(t.cc, ["-dumpmachine"])).trim());
  const check = async (driver: string, lang: string, header: string) => {
    const deps = await real(driver, ["-fno-canonical-system-headers", "-x", lang, "-M", "-"], `#include <${header}>\n`);
    const headers = deps.replace(/\\\n/g, " ").split(/\s+/).filter((p) => p.startsWith("/")).map((p) => resolve(p));
    expect(headers.length).toBeGreaterThan(0);
    for (const h of headers) expect(t.builtinIncludeDirectories.some((d) => h.startsWith(`${d}/`)), `${h} not under ${t.builtinIncludeDirectories.join(", ")}`).toBe(true);
  };
  await check(t.cc, "c", "stdio.h");
  if (t.cxx) await check(t.cxx, "c++", "vector");
}

function tc(env: Environment, target: string): Toolchain {
  const found = env.toolchains.find((t) => t.target === target);
  if (!found) throw new Error(`${target} not in ${env.toolchains.map((t) => t.target).join(", ")}; missing: ${JSON.stringify(env.missing)}`);
  return found;
}

describe("describe --json", () => {
  it("reports every compiler of the default stand-in prefix as the real compilers describe themselves", async () => {
    const prefix = standInPrefix();
    const env = await describeJson(prefix);
    expect(env.prefix).toBe(prefix);
    expect(env.subdir).toBe("linux-64");
    expect(env.toolchains.map((t) => t.target)).toEqual(["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "powerpc64le-unknown-linux-gnu", "x86_64-pc-windows-gnu"]);
    expect(env.missing).toEqual([]);
    await Promise.all(env.toolchains.map(expectMatchesRealCompiler));
    const arm = tc(env, "aarch64-unknown-linux-gnu");
    expect(arm.condaTriplet).toBe("aarch64-conda-linux-gnu");
    expect(arm.goos + "/" + arm.goarch).toBe("linux/arm64");
    expect(arm.cc).toBe(join(prefix, "bin", "aarch64-conda-linux-gnu-cc"));
    expect(arm.cxx).toBe(join(prefix, "bin", "aarch64-conda-linux-gnu-c++"));
    expect(arm.objcopy).toBe(join(prefix, "bin", "aarch64-conda-linux-gnu-objcopy"));
    expect(arm.sysroot).toBe(join(prefix, "aarch64-conda-linux-gnu", "sysroot"));
    expect(arm.flagsSource).toBe("activation");
    expect(arm.cflags).toEqual(["-ftree-vectorize", "-fPIC", "-fstack-protector-strong", "-fno-plt", "-O3", "-pipe", "-isystem", `${prefix}/include`]);
    expect(arm.ldflags).toEqual(["-Wl,-O2", "-Wl,--sort-common", "-Wl,--as-needed", "-Wl,-z,relro", "-Wl,-z,now", "-Wl,--allow-shlib-undefined", `-Wl,-rpath,${prefix}/lib`, `-Wl,-rpath-link,${prefix}/lib`, `-L${prefix}/lib`]);
    expect(tc(env, "x86_64-unknown-linux-gnu").ldflags).toContain("-Wl,--gc-sections");
    expect(tc(env, "x86_64-pc-windows-gnu").ldflags).toEqual(["-Wl,-O2", "-Wl,--sort-common", `-L${prefix}/lib`]);
    // The cross compilers' activation writes meson_cross_file.txt into CONDA_PREFIX: not into this one.
    expect(existsSync(join(prefix, "meson_cross_file.txt"))).toBe(false);
    // The tools named are the ones the real binutils answer to.
    expect(await real(arm.objdump!, ["--version"])).toContain("GNU objdump");
    expect(env.go).toMatchObject({ goroot: join(prefix, "go"), go: join(prefix, "go", "bin", "go"), variant: "cgo", activationExports: {} });
    expect(env.go!.version).toBe((await real(env.go!.go, ["env", "GOVERSION"])).trim().replace(/^go/, ""));
    const py = env.python!;
    expect(py.interpreter).toMatch(/\/bin\/python3\.\d+$/);
    expect(py.version).toBe((await real(py.interpreter, ["-c", "import platform; print(platform.python_version())"])).trim());
    expect(env.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("prints one JSON document and nothing else, the same bytes from a cold and a warm cache", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"], filler: 3 });
    const env = cleanEnv(tempDir("conda-bazel-cache-"));
    const cold = await cli(["describe", "--json", "--prefix", prefix], env);
    expect(cold.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(cold.stdout).schemaVersion).toBe(1);
    const warm = await cli(["describe", "--json", "--prefix", prefix], env);
    expect(warm.stdout).toBe(cold.stdout);
  });

  const variants: [string, StandInOptions, string][] = [
    ["legacy cos6/cos7 triplets", { legacy: true, subdirs: ["linux-64", "linux-aarch64"] }, "x86_64-conda_cos6-linux-gnu"],
    ["activation scripts with bare names", { bare: true, subdirs: ["linux-64", "linux-aarch64"] }, "x86_64-conda-linux-gnu"],
    ["pixi-style records (channel without subdir)", { pixi: true, subdirs: ["linux-64", "linux-aarch64"] }, "x86_64-conda-linux-gnu"],
  ];
  for (const [what, options, hostTriplet] of variants) {
    it(`handles ${what}`, async () => {
      const prefix = standInPrefix(options);
      const env = await describeJson(prefix);
      expect(env.subdir).toBe("linux-64");
      expect(env.toolchains.map((t) => t.target)).toEqual(["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"]);
      const host = tc(env, "x86_64-unknown-linux-gnu");
      expect(host.condaTriplet).toBe(hostTriplet);
      expect(host.cc).toBe(join(prefix, "bin", `${hostTriplet}-cc`));
      expect(host.ar).toBe(join(prefix, "bin", `${hostTriplet}-ar`));
      expect(host.flagsSource).toBe("activation");
      await Promise.all(env.toolchains.map(expectMatchesRealCompiler));
    });
  }

  it("takes the subdir from the url of records that name none (channel without subdir, as pixi writes)", async () => {
    const prefix = standInPrefix({ pixi: true, subdirs: ["linux-aarch64"] });
    // The records say linux-aarch64 only in their url; a guess from this linux-64 host would be wrong.
    const meta = join(prefix, "conda-meta");
    let rewritten = 0;
    for (const file of readdirSync(meta).filter((f) => f.endsWith(".json"))) {
      const body = JSON.parse(readFileSync(join(meta, file), "utf8"));
      expect(body.channel).toBe("https://conda.anaconda.org/conda-forge/");
      if (body.subdir !== "linux-64") continue;
      delete body.subdir;
      body.url = body.url.replace("/linux-64/", "/linux-aarch64/");
      writeFileSync(join(meta, file), JSON.stringify(body));
      rewritten++;
    }
    expect(rewritten).toBeGreaterThan(5);
    const env = await describeJson(prefix);
    expect(env.subdir).toBe("linux-aarch64");
    expect(env.toolchains.map((t) => t.target)).toEqual(["aarch64-unknown-linux-gnu"]);
  });

  it("keeps a prefix path with spaces whole, in tools and in flags", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"] }, "my env with spaces");
    const env = await describeJson(prefix);
    const arm = tc(env, "aarch64-unknown-linux-gnu");
    expect(arm.cc).toBe(join(prefix, "bin", "aarch64-conda-linux-gnu-cc"));
    expect(arm.cflags.slice(-2)).toEqual(["-isystem", `${prefix}/include`]);
    expect(arm.ldflags).toContain(`-L${prefix}/lib`);
    await expectMatchesRealCompiler(arm);
  });

  it("makes a relative --prefix absolute, and keeps the cache under XDG_CACHE_HOME without CONDA_BAZEL_CACHE_DIR", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"] });
    const xdg = tempDir("conda-bazel-xdg-");
    const result = await cli(["describe", "--json", "--prefix", basename(prefix)], { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CACHE_HOME: xdg }, dirname(prefix));
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).prefix).toBe(prefix);
    expect(readdirSync(join(xdg, "conda-bazel")).filter((f) => f.startsWith("probe-"))).toHaveLength(1);
  });

  it("works, probing every time, when the cache directory cannot be written", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"] });
    const notADirectory = join(tempDir(), "file");
    writeFileSync(notADirectory, "");
    const first = await describeJson(prefix, [], cleanEnv(notADirectory));
    const second = await describeJson(prefix, [], cleanEnv(notADirectory));
    expect(second).toEqual(first);
    expect(first.toolchains).toHaveLength(1);
  });

  it("lists targets without compilers as missing, with the exact install line", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-ppc64le"] }, "partial env");
    const byDefault = await describeJson(prefix);
    expect(byDefault.toolchains.map((t) => t.target)).toEqual(["x86_64-unknown-linux-gnu", "powerpc64le-unknown-linux-gnu"]);
    expect(byDefault.missing).toEqual([]);
    const asked = await describeJson(prefix, ["--target", "linux-aarch64,linux/ppc64le", "-t", "x86_64-w64-mingw32"]);
    expect(asked.toolchains.map((t) => t.target)).toEqual(["powerpc64le-unknown-linux-gnu"]);
    expect(asked.missing.map((m) => m.target)).toEqual(["aarch64-unknown-linux-gnu", "x86_64-pc-windows-gnu"]);
    expect(asked.missing[0]!.reason).toContain(join(prefix, "bin", "aarch64-conda-linux-gnu-cc"));
    expect(asked.missing[0]!.hint).toBe(`conda install -p '${prefix}' -c conda-forge gcc_linux-aarch64 gxx_linux-aarch64 sysroot_linux-aarch64`);
    expect(asked.missing[1]!.hint).toBe(`conda install -p '${prefix}' -c conda-forge gcc_win-64 gxx_win-64 m2w64-sysroot_win-64`);
  });

  it("reports the env's own platform as missing when it has no compiler", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-aarch64"] });
    const env = await describeJson(prefix);
    expect(env.subdir).toBe("linux-64");
    expect(env.toolchains.map((t) => t.target)).toEqual(["aarch64-unknown-linux-gnu"]);
    expect(env.missing.map((m) => m.target)).toEqual(["x86_64-unknown-linux-gnu"]);
  });

  it("reads the Go variant and go-cgo activation exports", async () => {
    const nocgo = await describeJson(standInPrefix({ subdirs: ["linux-64"], go: "nocgo" }));
    expect(nocgo.go?.variant).toBe("nocgo");
    const activated = await describeJson(standInPrefix({ subdirs: ["linux-64"], goActivation: ["linux-aarch64"] }));
    expect(activated.go?.activationExports).toEqual({ CGO_ENABLED: "1", GOOS: "linux", GOARCH: "arm64", CONDA_GO_COMPILER: "1", GOFLAGS: "-modcacherw -buildmode=pie -trimpath" });
    const none = await describeJson(standInPrefix({ subdirs: ["linux-64"], go: "none", python: false }));
    expect(none.go).toBeNull();
    expect(none.python).toBeNull();
  });

  it("finds GOROOT where bin/go leads, and asks go for its version when GOROOT has no VERSION file", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"], go: "none" });
    const goroot = join(prefix, "opt", "go");
    mkdirSync(join(goroot, "bin"), { recursive: true });
    copyFileSync(join(realpathSync("/usr/lib/go"), "bin", "go"), join(goroot, "bin", "go"));
    symlinkSync("../opt/go/bin/go", join(prefix, "bin", "go"));
    const env = await describeJson(prefix);
    expect(env.go).toMatchObject({ goroot, go: join(goroot, "bin", "go") });
    expect(existsSync(join(goroot, "VERSION"))).toBe(false);
    expect(env.go!.version).toBe((await real("/usr/lib/go/bin/go", ["env", "GOVERSION"])).trim().replace(/^go/, ""));
  });

  it("finds GOROOT for every conda-forge Go layout: go/bin/go, go/bin/<goos>_<goarch>/go, bin/go as a copy", async () => {
    const version = (await real("/usr/lib/go/bin/go", ["env", "GOVERSION"])).trim().replace(/^go/, "");
    for (const [layout, program] of [
      ["native", ["go", "bin", "go"]],
      ["cross", ["go", "bin", "linux_amd64", "go"]],
      ["copy", ["bin", "go"]],
    ] as const) {
      const prefix = standInPrefix({ subdirs: ["linux-64"], goLayout: layout, python: false });
      const env = await describeJson(prefix);
      expect(env.go, layout).toEqual(expect.objectContaining({ goroot: join(prefix, "go"), go: join(prefix, ...program), version }));
      // The program found runs with that GOROOT.
      const goroot = (await execa(env.go!.go, ["env", "GOROOT"], { env: { GOROOT: env.go!.goroot, GOTOOLCHAIN: "local" } })).stdout.trim();
      expect(goroot, layout).toBe(join(prefix, "go"));
      const doctor = await cli(["doctor", "--prefix", prefix], cleanEnv(cache));
      expect(doctor.exitCode, `${layout}: ${doctor.stdout}${doctor.stderr}`).toBe(0);
    }
  });

  it("takes the subdir from .condarc over the records", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"], condarc: true });
    writeFileSync(join(prefix, ".condarc"), "channels: [conda-forge]\nsubdir: linux-aarch64\n");
    const env = await describeJson(prefix);
    expect(env.subdir).toBe("linux-aarch64");
    expect(env.missing.map((m) => m.target)).toEqual(["aarch64-unknown-linux-gnu"]);
  });

  it("reports a missing sysroot as null and falls back to the table's flags without scripts", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-aarch64"], noSysroot: true });
    for (const s of ["binutils", "gcc", "gxx"]) rmSync(join(prefix, "etc", "conda", "activate.d", `activate-${s}_linux-aarch64.sh`));
    const env = await describeJson(prefix, ["-t", "linux-aarch64"]);
    const arm = tc(env, "aarch64-unknown-linux-gnu");
    expect(arm.sysroot).toBeNull();
    expect(arm.flagsSource).toBe("defaults");
    expect(arm.cflags).toEqual(["-ftree-vectorize", "-fPIC", "-fstack-protector-strong", "-fno-plt", "-O3", "-pipe", "-isystem", `${prefix}/include`]);
    expect(arm.ldflags.slice(-3)).toEqual([`-Wl,-rpath,${prefix}/lib`, `-Wl,-rpath-link,${prefix}/lib`, `-L${prefix}/lib`]);
    expect(arm.ar).toBe(join(prefix, "bin", "aarch64-conda-linux-gnu-ar"));
  });

  it("probes each compiler once: a second run spawns no compiler, a changed compiler is probed again", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"] });
    const log = join(tempDir(), "spawns.log");
    for (const name of ["x86_64-conda-linux-gnu-gcc", "x86_64-conda-linux-gnu-c++", "aarch64-conda-linux-gnu-gcc", "aarch64-conda-linux-gnu-c++"]) {
      const path = join(prefix, "bin", name);
      writeFileSync(path, readFileSync(path, "utf8").replace("exec ", `echo "$0" >> '${log}'\nexec `));
    }
    const env = cleanEnv(tempDir("conda-bazel-cache-"));
    const spawns = () => readFileSync(log, "utf8").trim().split("\n").length;
    const first = await describeJson(prefix, [], env);
    const afterFirst = spawns();
    expect(afterFirst).toBeGreaterThanOrEqual(4);
    const second = await describeJson(prefix, [], env);
    expect(spawns()).toBe(afterFirst);
    expect(second).toEqual(first);
    // A reinstalled compiler is a new file: probed again.
    const gcc = join(prefix, "bin", "aarch64-conda-linux-gnu-gcc");
    writeFileSync(gcc, `${readFileSync(gcc, "utf8")}\n`);
    await describeJson(prefix, [], env);
    expect(readFileSync(log, "utf8")).toContain(realpathSync(gcc).replace(/-gcc$/, "-"));
    expect(spawns()).toBeGreaterThan(afterFirst);
    // A C++ compiler changed on its own (the C one as it was) is probed again too: its new
    // builtin include directory is what describe reports, not the cached list.
    const extra = join(prefix, "include", "c++-extra");
    mkdirSync(extra, { recursive: true });
    const cxx = join(prefix, "bin", "aarch64-conda-linux-gnu-c++");
    writeFileSync(cxx, readFileSync(cxx, "utf8").replace('"$@"', `-isystem '${extra}' "$@"`));
    const afterCxx = await describeJson(prefix, [], env);
    const includes = (doc: typeof afterCxx) => doc.toolchains.find((t) => t.target === "aarch64-unknown-linux-gnu")!.builtinIncludeDirectories;
    expect(includes(first)).not.toContain(extra);
    expect(includes(afterCxx)).toContain(extra);
  });
});

describe("describe (table)", () => {
  it("summarises toolchains and missing targets with the fix", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"] });
    const result = await cli(["describe", "--prefix", prefix, "-t", "linux-64,linux-aarch64"], cleanEnv(cache));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^x86_64-unknown-linux-gnu\s+linux\/amd64\s+\S+x86_64-conda-linux-gnu-cc\s+\d+\.\d+/m);
    expect(result.stdout).toContain("missing aarch64-unknown-linux-gnu");
    expect(result.stdout).toContain(`fix: conda install -p ${prefix} -c conda-forge gcc_linux-aarch64`);
  });
});
