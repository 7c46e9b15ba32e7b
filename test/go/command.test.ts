// The go build command line: owned flags refused, the user's -ldflags kept beside ours, and what
// go makes of the command.
import { execa } from "execa";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkConfigArgs, goBuildArgs, parseExtraArgs } from "../../src/go/command.js";
import { UsageError } from "../../src/errors.js";
import { findTarget } from "../../src/targets.js";
import { tempDir } from "../cli/helpers.js";

describe("go build arguments", () => {
  it("refuses -o and -buildmode in every spelling", () => {
    for (const args of [["-o", "x"], ["-o=x"], ["--o", "x"], ["--o=x"], ["-buildmode=pie"], ["--buildmode", "exe"]]) {
      expect(() => parseExtraArgs(args), args.join(" ")).toThrow(UsageError);
    }
  });

  it("parses the user's -ldflags, keeping its -extldflags apart to merge with go-build's", () => {
    expect(parseExtraArgs(["-tags", "netgo", "-ldflags", "-s -w", "-v"])).toEqual({ ldflags: "-s -w", extldflags: undefined, rest: ["-tags", "netgo", "-v"] });
    const ext = parseExtraArgs(["-ldflags=-X 'main.v=a b' -extldflags \"-Wl,-z,defs -static-libgcc\""]);
    expect(ext).toEqual({ ldflags: "-X 'main.v=a b'", extldflags: "-Wl,-z,defs -static-libgcc", rest: [] });
    expect(() => parseExtraArgs(["-ldflags=-extldflags"])).toThrow(/needs a value/);
  });

  // What go does with the command go-build composes, planned by `go build -n` (nothing is
  // compiled, so every OS is checked here, macOS included): go accepts it, and its link step
  // makes a C shared library and gives the external linker the name the OS loads it by (or, for
  // Windows, no timestamp) together with the user's own -ldflags and -extldflags.
  it.concurrent.each([
    ["linux-64", "libx.so", "-Wl,-soname,libx.so"],
    ["linux-aarch64", "libx.so", "-Wl,-soname,libx.so"],
    ["win-64", "x.dll", "-Wl,--no-insert-timestamp"],
    ["osx-arm64", "libx.dylib", "-Wl,-install_name,@rpath/libx.dylib"],
  ])("%s: go links %s as a C shared library, with %s and the user's flags", async (subdir, library, own) => {
    const target = findTarget(subdir)!;
    const dir = tempDir("conda-bazel-goargs-");
    writeFileSync(join(dir, "go.mod"), "module example.com/x\n\ngo 1.19\n");
    writeFileSync(join(dir, "x.go"), 'package main\n\nimport "C"\n\n//export X\nfunc X() {}\n\nfunc main() {}\n');
    const extra = parseExtraArgs(["-ldflags=-s -X 'main.v=a b' -extldflags -Wl,-z,defs"]);
    const [build, ...flags] = goBuildArgs(target, join(dir, "out", library), library, extra);
    const env = { PATH: process.env.PATH, HOME: dir, GOOS: target.goos, GOARCH: target.goarch, CGO_ENABLED: "1", CC: "/bin/false", GOCACHE: join(dir, "cache"), GOENV: "off", GOFLAGS: "", GOTOOLCHAIN: "local" };
    const planned = await execa("go", [build!, "-n", ...flags], { cwd: dir, env, extendEnv: false, reject: false });
    expect(planned.exitCode, planned.stderr).toBe(0);
    const link = planned.stderr.split("\n").find((line) => /\/link -o /.test(line));
    expect(link, planned.stderr).toContain(" -buildmode=c-shared ");
    // go prints the link step quoted its own way: double quotes around a word with a space.
    expect(link).toContain(' -s -X "main.v=a b" ');
    expect(link).toContain(` -extldflags "${own} -Wl,-z,defs" `);
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
