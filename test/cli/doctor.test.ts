// doctor: per target found or missing with the install line; the known traps; exit 1 on a problem.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, cli, standInPrefix, tempDir } from "./helpers.js";

const cache = tempDir("conda-bazel-cache-");

function lines(stdout: string, level: string): string[] {
  return stdout.split("\n").filter((l) => l.startsWith(`${level} `));
}

describe("doctor", () => {
  it("passes a complete prefix, naming each compiler, and warns about --gc-sections", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"] });
    const result = await cli(["doctor", "--prefix", prefix], cleanEnv(cache));
    expect(result.exitCode).toBe(0);
    expect(lines(result.stdout, "ok")).toHaveLength(2);
    expect(result.stdout).toContain(join(prefix, "bin", "aarch64-conda-linux-gnu-cc"));
    expect(lines(result.stdout, "warning").join("\n")).toMatch(/^warning\s+x86_64-unknown-linux-gnu: LDFLAGS contain -Wl,--gc-sections, which breaks cgo links; conda-bazel go-build drops it, conda's Go in this env adds -Wl,--no-gc-sections when cgo falls back to LDFLAGS/m);
    expect(lines(result.stdout, "warning").join("\n")).not.toContain("aarch64-unknown-linux-gnu: LDFLAGS");
    expect(result.stdout).toContain("no problems found");
  });

  it("fails on a requested target without a compiler, printing the install line", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"] });
    const result = await cli(["doctor", "--prefix", prefix, "-t", "linux-64,linux-aarch64"], cleanEnv(cache));
    expect(result.exitCode).toBe(1);
    const [missing] = lines(result.stdout, "missing");
    expect(missing).toContain("aarch64-unknown-linux-gnu: no C compiler");
    expect(missing).toContain(`conda install -p ${prefix} -c conda-forge gcc_linux-aarch64 gxx_linux-aarch64 sysroot_linux-aarch64`);
  });

  it("flags CC pointing outside the prefix, and accepts CC pointing at the env's compiler", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"] });
    const outside = await cli(["doctor", "--prefix", prefix], cleanEnv(cache, { CC: "/usr/bin/gcc" }));
    expect(outside.exitCode).toBe(1);
    expect(lines(outside.stdout, "problem")[0]).toContain("CC=/usr/bin/gcc in your environment is not a compiler of");
    const inside = await cli(["doctor", "--prefix", prefix], cleanEnv(cache, { CC: "x86_64-conda-linux-gnu-cc", CXX: join(prefix, "bin", "x86_64-conda-linux-gnu-c++") }));
    expect(inside.exitCode).toBe(0);
  });

  it("flags CXX pointing outside the prefix on its own (CC right)", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64"] });
    const result = await cli(["doctor", "--prefix", prefix], cleanEnv(cache, { CC: join(prefix, "bin", "x86_64-conda-linux-gnu-cc"), CXX: "/usr/bin/g++" }));
    expect(result.exitCode).toBe(1);
    expect(lines(result.stdout, "problem")).toEqual([
      `problem  CXX=/usr/bin/g++ in your environment is not a compiler of ${prefix}: builds that honour CXX (go build, make) use it instead of the conda compiler (fix: unset CXX, or activate the env again)`,
    ]);
  });

  it("flags CC/CXX left by the last of several compiler activations: another target's compiler, with the fix", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64", "linux-ppc64le"], go: "none", python: false });
    // What `conda activate` leaves: the scripts of every gcc_<subdir>, ppc64le's last.
    const result = await cli(["doctor", "--prefix", prefix], cleanEnv(cache, { CC: "powerpc64le-conda-linux-gnu-cc", CXX: join(prefix, "bin", "powerpc64le-conda-linux-gnu-c++") }));
    expect(result.exitCode).toBe(1);
    const problems = lines(result.stdout, "problem");
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("CC=powerpc64le-conda-linux-gnu-cc in your shell is the powerpc64le-unknown-linux-gnu compiler, not the env's own (x86_64-unknown-linux-gnu)");
    expect(problems[0]).toContain(`fix: export CC=${join(prefix, "bin", "x86_64-conda-linux-gnu-cc")} and unset CFLAGS CXXFLAGS CPPFLAGS LDFLAGS`);
    expect(problems[1]).toContain(`fix: export CXX=${join(prefix, "bin", "x86_64-conda-linux-gnu-c++")}`);
  });

  it("flags GOOS/GOARCH of another platform exported by a go-cgo activation; the env's own is only a warning about -buildmode=pie", async () => {
    const activated = standInPrefix({ subdirs: ["linux-64"], goActivation: ["linux-aarch64"] });
    const result = await cli(["doctor", "--prefix", activated], cleanEnv(cache));
    expect(result.exitCode).toBe(1);
    const [trap] = lines(result.stdout, "problem");
    expect(trap).toContain("activate-z61-go-cgo_linux-aarch64.sh exports GOOS=linux GOARCH=arm64 CGO_ENABLED=1 GOFLAGS=-modcacherw -buildmode=pie -trimpath");
    expect(trap).toContain(`conda remove -p ${activated} go-cgo_linux-aarch64`);
    const own = await cli(["doctor", "--prefix", standInPrefix({ subdirs: ["linux-64"], goActivation: ["linux-64"] })], cleanEnv(cache));
    expect(own.exitCode, own.stdout).toBe(0);
    expect(lines(own.stdout, "warning").join("\n")).toMatch(/activate-z61-go-cgo_linux-64\.sh exports GOOS=linux GOARCH=amd64 .*: in the activated shell every go build without -buildmode makes a PIE/);
  });

  it("accepts a go-nocgo Go with a warning: go-build turns cgo on", async () => {
    const nocgo = await cli(["doctor", "--prefix", standInPrefix({ subdirs: ["linux-64"], go: "nocgo" })], cleanEnv(cache));
    expect(nocgo.exitCode).toBe(0);
    expect(lines(nocgo.stdout, "warning").join("\n")).toContain("Go is the go-nocgo variant: plain go build has cgo off");
  });

  it("flags a missing sysroot with the package that installs it", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-aarch64"], noSysroot: true });
    const result = await cli(["doctor", "--prefix", prefix, "-t", "linux-aarch64"], cleanEnv(cache));
    expect(result.exitCode).toBe(1);
    expect(lines(result.stdout, "problem")[0]).toMatch(/aarch64-unknown-linux-gnu: no sysroot at .*\(fix: conda install -p \S+ -c conda-forge sysroot_linux-aarch64\)$/);
  });

  it("flags a compiler that builds for another architecture than its triplet says", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"] });
    writeFileSync(join(prefix, "bin", "aarch64-conda-linux-gnu-gcc"), "#!/bin/sh\nexec /usr/bin/x86_64-linux-gnu-gcc \"$@\"\n");
    const result = await cli(["doctor", "--prefix", prefix, "-t", "linux-aarch64"], cleanEnv(cache));
    expect(result.exitCode).toBe(1);
    expect(lines(result.stdout, "problem")[0]).toContain(`aarch64-unknown-linux-gnu: ${join(prefix, "bin", "aarch64-conda-linux-gnu-cc")} compiles for x86_64-linux-gnu, not aarch64-conda-linux-gnu`);
  });

  it("reports a compiler that is installed but does not run as a problem, not as missing", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"] });
    writeFileSync(join(prefix, "bin", "aarch64-conda-linux-gnu-gcc"), "#!/bin/sh\necho 'aarch64 gcc: broken install' >&2\nexit 1\n");
    const result = await cli(["doctor", "--prefix", prefix, "-t", "linux-aarch64"], cleanEnv(cache));
    expect(result.exitCode).toBe(1);
    expect(lines(result.stdout, "missing")).toEqual([]);
    const [problem] = lines(result.stdout, "problem");
    expect(problem).toContain("aarch64-unknown-linux-gnu: the aarch64-unknown-linux-gnu compiler does not run");
    expect(problem).toContain("broken install");
    expect(problem).toContain("--force-reinstall gcc_linux-aarch64");
  });
});
