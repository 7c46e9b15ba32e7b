// The pure parts of choosing between conda's gcc and clang: which family a driver name or an
// activation script belongs to, and the pin init writes for the repository rule.
import { describe, expect, it } from "vitest";
import { familyOfDriver, parsePinned, preferredFamily, renderPinned, scriptFamily } from "../../src/conda/compiler-choice.js";
import { findTarget } from "../../src/targets.js";

const linux64 = findTarget("linux-64")!;
const aarch64 = findTarget("linux-aarch64")!;
const osxArm64 = findTarget("osx-arm64")!;

describe("familyOfDriver", () => {
  it("knows the target's drivers by path or bare name, current or legacy triplet", () => {
    expect(familyOfDriver(linux64, "/opt/env/bin/x86_64-conda-linux-gnu-clang")).toBe("clang");
    expect(familyOfDriver(linux64, "x86_64-conda-linux-gnu-cc")).toBe("gcc");
    expect(familyOfDriver(linux64, "x86_64-conda_cos6-linux-gnu-gcc")).toBe("gcc");
    expect(familyOfDriver(osxArm64, "arm64-apple-darwin20.0.0-clang")).toBe("clang");
  });

  it("ignores another target's driver, a C++ driver and anything else", () => {
    expect(familyOfDriver(linux64, "aarch64-conda-linux-gnu-clang")).toBeUndefined();
    expect(familyOfDriver(aarch64, "aarch64-conda-linux-gnu-clang++")).toBeUndefined();
    expect(familyOfDriver(linux64, "ccache")).toBeUndefined();
    expect(familyOfDriver(linux64, undefined)).toBeUndefined();
  });
});

describe("preferredFamily", () => {
  it("takes an explicit choice over CC, and CC over the activation's CC", () => {
    const env = { CC: "x86_64-conda-linux-gnu-clang" };
    expect(preferredFamily(linux64, "gcc", env, "x86_64-conda-linux-gnu-clang")).toEqual({ family: "gcc", by: "flag" });
    expect(preferredFamily(linux64, undefined, env, "x86_64-conda-linux-gnu-cc")).toEqual({ family: "clang", by: "CC" });
    expect(preferredFamily(linux64, undefined, {}, "x86_64-conda-linux-gnu-cc")).toEqual({ family: "gcc", by: "activation" });
    expect(preferredFamily(linux64, undefined, { CC: "gcc" }, undefined)).toBeUndefined();
  });
});

describe("scriptFamily and the pin", () => {
  it("sorts activation scripts by the package that installed them", () => {
    expect(["activate-clang_linux-64.sh", "activate-clangxx_linux-64.sh", "activate-gcc_linux-64.sh", "activate-gxx_linux-64.sh", "activate-binutils_linux-64.sh"].map(scriptFamily)).toEqual([
      "clang",
      "clang",
      "gcc",
      "gcc",
      undefined,
    ]);
  });

  it("reads back what it writes, and refuses a malformed pin", () => {
    const pins = new Map([["x86_64-unknown-linux-gnu", "clang" as const]]);
    expect(parsePinned(renderPinned(pins))).toEqual(pins);
    expect(parsePinned(undefined).size).toBe(0);
    expect(() => parsePinned("x86_64-unknown-linux-gnu")).toThrow(/not <target>=<gcc\|clang>/);
    expect(() => parsePinned("x86_64-unknown-linux-gnu=icc")).toThrow(/must be gcc or clang, not 'icc'/);
  });
});
