// The go build command line: owned flags refused, the user's -ldflags kept beside ours.
import { describe, expect, it } from "vitest";
import { checkConfigArgs, goBuildArgs, parseExtraArgs } from "../../src/go/command.js";
import { UsageError } from "../../src/errors.js";
import { findTarget } from "../../src/targets.js";

describe("go build arguments", () => {
  it("refuses -o and -buildmode in every spelling", () => {
    for (const args of [["-o", "x"], ["-o=x"], ["--o", "x"], ["--o=x"], ["-buildmode=pie"], ["--buildmode", "exe"]]) {
      expect(() => parseExtraArgs(args), args.join(" ")).toThrow(UsageError);
    }
  });

  it("passes other arguments unchanged and merges the user's -ldflags with the SONAME", () => {
    const extra = parseExtraArgs(["-tags", "netgo", "-ldflags", "-s -w", "-v"]);
    expect(extra).toEqual({ ldflags: "-s -w", extldflags: undefined, rest: ["-tags", "netgo", "-v"] });
    const args = goBuildArgs(findTarget("linux-64")!, "/out/libx.so", "libx.so", extra);
    expect(args).toEqual(["build", "-trimpath", "-buildvcs=false", "-buildmode=c-shared", "-ldflags=-buildid= -s -w -extldflags -Wl,-soname,libx.so", "-o", "/out/libx.so", "-tags", "netgo", "-v", "."]);
    // The user's -extldflags joins ours in the one -extldflags the linker keeps.
    const ext = parseExtraArgs(["-ldflags=-X 'main.v=a b' -extldflags \"-Wl,-z,defs -static-libgcc\""]);
    expect(ext).toEqual({ ldflags: "-X 'main.v=a b'", extldflags: "-Wl,-z,defs -static-libgcc", rest: [] });
    expect(goBuildArgs(findTarget("linux-64")!, "/out/libx.so", "libx.so", ext)).toContain("-ldflags=-buildid= -X 'main.v=a b' -extldflags '-Wl,-soname,libx.so -Wl,-z,defs -static-libgcc'");
    expect(() => parseExtraArgs(["-ldflags=-extldflags"])).toThrow(/needs a value/);
  });

  it("names the library the way each OS expects", () => {
    const none = { ldflags: undefined, extldflags: undefined, rest: [] };
    expect(goBuildArgs(findTarget("win-64")!, "/o/x.dll", "x.dll", none)).toContain("-ldflags=-buildid= -extldflags -Wl,--no-insert-timestamp");
    expect(goBuildArgs(findTarget("osx-arm64")!, "/o/libx.dylib", "libx.dylib", none)).toContain("-ldflags=-buildid= -extldflags -Wl,-install_name,@rpath/libx.dylib");
  });

  it("allows only harmless flags in a config file's goBuild.args, in every spelling", () => {
    for (const args of [["-tags", "netgo"], ["--tags=a,b"], ["-ldflags", "-s -w"], ["-ldflags=-X main.v=1 -X=main.w=2"], ["-a", "-v", "-x", "-race", "-trimpath", "-work"], ["-mod=vendor", "-p", "2"]]) {
      expect(() => checkConfigArgs(args), args.join(" ")).not.toThrow();
    }
    for (const args of [["-toolexec", "x"], ["--toolexec=x"], ["-exec=x"], ["-overlay", "o.json"], ["-modfile=x.mod"], ["-pkgdir", "/x"], ["-compiler=gccgo"], ["-gcflags=-cpuprofile=/x"], ["-asmflags=-D=x"], ["-ldflags=-extld=/x"], ["-ldflags", "-s -linkmode=external"], ["./other"], ["--"], ["-tags"]]) {
      expect(() => checkConfigArgs(args), args.join(" ")).toThrow(UsageError);
    }
  });
});
