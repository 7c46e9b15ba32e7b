// The per-target `go build` environment: what cgo gets for each target, and that it is all there.
import { describe, expect, it } from "vitest";
import type { Go, Toolchain } from "../../src/environment.js";
import { goBuildEnvironment, type GoEnvironmentInput } from "../../src/go/environment.js";
import { findTarget } from "../../src/targets.js";

const PREFIX = "/opt/conda envs/dev";

/** A toolchain as discovery reports it: the target table's default flags plus the prefix ones. */
function toolchain(name: string): Toolchain {
  const target = findTarget(name)!;
  const triplet = target.condaTriplets[0]!;
  const words = (text: string) => text.split(" ").map((w) => w.replaceAll("${CONDA_PREFIX}", PREFIX));
  const include = ["-isystem", `${PREFIX}/include`];
  return {
    target: target.triplet, condaTriplet: triplet, subdir: target.subdir, goos: target.goos, goarch: target.goarch, family: target.family,
    cc: `${PREFIX}/bin/${triplet}-${target.ccName}`, cxx: `${PREFIX}/bin/${triplet}-${target.cxxName}`, cpp: null,
    ar: `${PREFIX}/bin/${triplet}-ar`, ld: `${PREFIX}/bin/${triplet}-ld`, nm: `${PREFIX}/bin/${triplet}-nm`, objcopy: null, objdump: null,
    strip: `${PREFIX}/bin/${triplet}-strip`, sysroot: `${PREFIX}/${triplet}/sysroot`, version: "12.2.0", machine: triplet, builtinIncludeDirectories: [],
    cflags: [...words(target.defaultFlags.cflags), ...include], cxxflags: [...words(target.defaultFlags.cxxflags), ...include],
    cppflags: [...words(target.defaultFlags.cppflags), ...include],
    ldflags: [...words(target.defaultFlags.ldflags), ...words(target.defaultFlags.prefixLdflags)], flagsSource: "test",
  };
}

function input(name: string, go: Partial<Go> = {}): GoEnvironmentInput {
  const tc = toolchain(name);
  return {
    env: { prefix: PREFIX, subdir: "linux-64", go: { goroot: `${PREFIX}/go`, go: `${PREFIX}/go/bin/go`, version: "1.19.8", variant: "cgo", activationExports: {}, ...go } },
    toolchain: tc, toolchainKey: "0123456789abcdef", mapPath: (p) => p,
    dirs: { gocache: "/cache/build", gopath: "/cache/path", home: "/cache" },
  };
}

describe("goBuildEnvironment", () => {
  it("sets the target, cgo, the compilers and Go's own settings explicitly", () => {
    const env = goBuildEnvironment(input("linux-aarch64"));
    expect(env).toMatchObject({
      GOOS: "linux", GOARCH: "arm64", CGO_ENABLED: "1", GOTOOLCHAIN: "local", GOENV: "off", GOFLAGS: "",
      CC: `'${PREFIX}/bin/aarch64-conda-linux-gnu-cc'`, CXX: `'${PREFIX}/bin/aarch64-conda-linux-gnu-c++'`,
      GOROOT: `${PREFIX}/go`, GOCACHE: "/cache/build", GOPATH: "/cache/path", GOMODCACHE: "/cache/path/pkg/mod", HOME: "/cache",
      PATH: `${PREFIX}/go/bin:${PREFIX}/bin:/usr/bin:/bin`,
      PKG_CONFIG_SYSROOT_DIR: `${PREFIX}/aarch64-conda-linux-gnu/sysroot`,
    });
    expect(Object.keys(env)).toEqual(Object.keys(env).sort());
    for (const name of ["CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS"]) expect(env[name], name).not.toBe("");
  });

  it("never leaves a CGO_*FLAGS variable empty, where Go, a `go env -w` file or conda's Go would put other flags", () => {
    const bare = input("linux-64");
    const env = goBuildEnvironment({ ...bare, toolchain: { ...bare.toolchain, cflags: [], cppflags: [], cxxflags: [], ldflags: [] } });
    expect([env.CGO_CFLAGS, env.CGO_CXXFLAGS, env.CGO_LDFLAGS]).toEqual(["-O2", "-O2", "-O2"]);
    // CGO_CPPFLAGS holds the toolchain key, and with it Go's cache sees the compilers.
    expect(env.CGO_CPPFLAGS).toBe("-DCONDA_BAZEL_TOOLCHAIN=0123456789abcdef");
  });

  it("sets the arch level only where the Go version knows the variable", () => {
    expect(goBuildEnvironment(input("linux-64")).GOAMD64).toBe("v1");
    expect(goBuildEnvironment(input("linux-ppc64le")).GOPPC64).toBe("power8");
    expect(goBuildEnvironment(input("linux-aarch64")).GOARM64).toBeUndefined();
    expect(goBuildEnvironment(input("linux-aarch64", { version: "1.23.1" })).GOARM64).toBe("v8.0");
  });

  it("drops what breaks a cgo library or bakes in the build machine, and the prefix for a cross target", () => {
    const native = goBuildEnvironment(input("linux-64"));
    expect(native.CGO_LDFLAGS).not.toMatch(/--gc-sections|-rpath,|--disable-new-dtags/);
    expect(native.CGO_LDFLAGS).toContain(`'-L${PREFIX}/lib'`);
    expect(native.CGO_CFLAGS).toContain(`-march=nocona -mtune=haswell`);
    expect(native.CGO_CFLAGS).toContain(`-isystem '${PREFIX}/include'`);
    expect(native.PKG_CONFIG_LIBDIR).toContain(`${PREFIX}/lib/pkgconfig`);
    const cross = goBuildEnvironment(input("linux-ppc64le"));
    expect(`${cross.CGO_CFLAGS} ${cross.CGO_CPPFLAGS} ${cross.CGO_LDFLAGS}`).not.toContain(`${PREFIX}/include`);
    expect(cross.CGO_LDFLAGS).not.toContain(`${PREFIX}/lib`);
    expect(cross.CGO_CFLAGS).toContain("-mcpu=power8");
    expect(cross.PKG_CONFIG_LIBDIR).toBe(`${PREFIX}/powerpc64le-conda-linux-gnu/sysroot/usr/lib/pkgconfig:${PREFIX}/powerpc64le-conda-linux-gnu/sysroot/usr/share/pkgconfig`);
    const windows = goBuildEnvironment(input("win-64"));
    expect(windows.CGO_CFLAGS).not.toMatch(/-fPIC|-fno-plt|-fstack-protector/);
    expect(windows.CGO_CPPFLAGS).not.toContain("_FORTIFY_SOURCE");
  });

  it("maps every path of the model, so a Bazel action can see the prefix elsewhere", () => {
    const mapped = goBuildEnvironment({ ...input("linux-64"), mapPath: (p) => p.replace(PREFIX, "external/conda/prefix") });
    const values = Object.entries(mapped).filter(([name]) => name !== "CC" && name !== "CXX").map(([, v]) => v);
    expect(values.join("\n")).not.toContain(PREFIX);
    expect(mapped.CGO_CFLAGS).toContain("-isystem external/conda/prefix/include");
  });
});
