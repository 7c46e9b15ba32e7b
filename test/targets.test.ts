import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { findTarget, hostSubdir, sharedLibraryName, TARGETS, targetForSubdir } from "../src/targets.js";
import { parseTargetList } from "../src/target-selection.js";
import { UsageError } from "../src/errors.js";

describe("target table", () => {
  it("names every target, alias and conda triplet once", () => {
    const names = TARGETS.flatMap((t) => [t.triplet, ...t.aliases, ...t.condaTriplets].map((n) => n.toLowerCase()));
    const counts = new Map<string, number>();
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
    // A conda triplet may repeat as an alias of its own target, never across targets.
    for (const [name, count] of counts) {
      if (count > 1) expect(new Set(TARGETS.filter((t) => [t.triplet, ...t.aliases, ...t.condaTriplets].includes(name)).map((t) => t.triplet)).size).toBe(1);
    }
  });

  it("resolves the aliases users type", () => {
    expect(findTarget("linux-aarch64")?.triplet).toBe("aarch64-unknown-linux-gnu");
    expect(findTarget("linux/arm64")?.triplet).toBe("aarch64-unknown-linux-gnu");
    expect(findTarget("aarch64-linux-gnu")?.triplet).toBe("aarch64-unknown-linux-gnu");
    expect(findTarget("arm64-apple-darwin")?.triplet).toBe("aarch64-apple-darwin");
    expect(findTarget("x86_64-conda_cos6-linux-gnu")?.triplet).toBe("x86_64-unknown-linux-gnu");
    expect(findTarget(" WIN-64 ")?.triplet).toBe("x86_64-pc-windows-gnu");
    expect(findTarget("mips-linux-gnu")).toBeUndefined();
  });

  it("agrees with Go on every GOOS/GOARCH pair supporting cgo", () => {
    const dist = JSON.parse(execFileSync("go", ["tool", "dist", "list", "-json"], { encoding: "utf8", env: { ...process.env, GOTOOLCHAIN: "local" } })) as { GOOS: string; GOARCH: string; CgoSupported: boolean }[];
    for (const t of TARGETS) {
      const entry = dist.find((d) => d.GOOS === t.goos && d.GOARCH === t.goarch);
      expect(entry, `${t.goos}/${t.goarch}`).toBeDefined();
      expect(entry!.CgoSupported).toBe(true);
    }
  });

  it("names shared libraries per OS", () => {
    expect(sharedLibraryName(findTarget("linux-64")!, "hello")).toBe("libhello.so");
    expect(sharedLibraryName(findTarget("win-64")!, "hello")).toBe("hello.dll");
    expect(sharedLibraryName(findTarget("osx-arm64")!, "hello")).toBe("libhello.dylib");
  });

  it("maps conda subdirs and the host", () => {
    expect(targetForSubdir("linux-ppc64le")?.goarch).toBe("ppc64le");
    expect(hostSubdir("linux", "x64")).toBe("linux-64");
    expect(hostSubdir("darwin", "arm64")).toBe("osx-arm64");
    expect(hostSubdir("linux", "arm64")).toBe("linux-aarch64");
  });
});

describe("--target parsing", () => {
  it("takes repeats and comma lists, normalises and deduplicates", () => {
    expect(parseTargetList(["linux-64,linux/arm64", "aarch64-unknown-linux-gnu"])?.map((t) => t.triplet)).toEqual([
      "x86_64-unknown-linux-gnu",
      "aarch64-unknown-linux-gnu",
    ]);
    expect(parseTargetList(undefined)).toBeUndefined();
  });

  it("refuses an unknown target with the list of known ones", () => {
    expect(() => parseTargetList(["sparc-sun-solaris"])).toThrow(UsageError);
    expect(() => parseTargetList(["sparc-sun-solaris"])).toThrow(/unknown target 'sparc-sun-solaris'/);
  });
});
