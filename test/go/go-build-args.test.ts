// What a user passes reaches go build, end to end on the host target: arguments after `--`
// (-tags, -ldflags with its own -extldflags merged with go-build's), and the module proxy setting.
import { execa } from "execa";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, cli, standInPrefix, tempDir } from "../cli/helpers.js";
import { sharedCacheDir } from "../support/shared-caches.js";

const HOST = "x86_64-unknown-linux-gnu";

function writePackage(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("go-build passes the user's settings to go build", () => {
  const root = tempDir("conda-bazel-goargs-");
  const prefix = standInPrefix({ subdirs: ["linux-64"] });
  const cache = sharedCacheDir();

  it("builds with the -tags after --, and links with the user's -extldflags beside go-build's SONAME", async () => {
    const pkg = writePackage(join(root, "answer"), {
      "go.mod": "module example.com/answer\n\ngo 1.19\n",
      "main.go": 'package main\n\nimport "C"\n\n//export Answer\nfunc Answer() C.int { return answer }\n\nfunc main() {}\n',
      "small.go": "//go:build !big\n\npackage main\n\nconst answer = 1\n",
      "big.go": "//go:build big\n\npackage main\n\nconst answer = 42\n",
    });
    const out = join(root, "out");
    const args = ["-tags", "big", "-ldflags=-s -extldflags '-Wl,-rpath,$ORIGIN'"];
    const result = await cli(["go-build", pkg, "--prefix", prefix, "--target", HOST, "--out", out, "--", ...args], cleanEnv(cache));
    expect(result.exitCode, result.stderr).toBe(0);
    const library = join(out, HOST, "libanswer.so");
    const { stdout: answer } = await execa("python3", ["-c", "import ctypes, sys\nprint(ctypes.CDLL(sys.argv[1]).Answer())", library]);
    expect(answer.trim()).toBe("42");
    const dynamic = (await execa("readelf", ["-d", library])).stdout;
    expect(dynamic).toMatch(/\(SONAME\)\s+Library soname: \[libanswer\.so\]/);
    expect(dynamic).toMatch(/\(RUNPATH\)\s+Library runpath: \[\$ORIGIN\]/);
    // -s: no symbol table.
    expect((await execa("readelf", ["-S", library])).stdout).not.toContain(".symtab");
  });

  it("gives cgo -O2 where the env's compilers set no C, C++ or linker flags, not Go's default or a caller's", async () => {
    // An env whose activation sets no CFLAGS, CXXFLAGS or LDFLAGS. An empty CGO_* variable would
    // let Go fall back to its own `-O2 -g`, a `go env -w` file, or (conda-forge's Go) the caller's
    // CFLAGS/LDFLAGS; `go build -n` shows what cgo gets without building anything.
    const bare = standInPrefix({ subdirs: ["linux-64"], python: false });
    const activate = join(bare, "etc", "conda", "activate.d");
    for (const script of readdirSync(activate)) {
      const text = readFileSync(join(activate, script), "utf8");
      writeFileSync(join(activate, script), text.replace(/^(\s*)(CFLAGS|CXXFLAGS|LDFLAGS)_USED=".*"$/gm, '$1$2_USED=""'));
    }
    const pkg = writePackage(join(root, "bare"), {
      "go.mod": "module example.com/bare\n\ngo 1.19\n",
      "main.go": 'package main\n\nimport "C"\n\n//export Answer\nfunc Answer() C.int { return 42 }\n\nfunc main() {}\n',
    });
    const caller = { CFLAGS: "-DFROM_THE_CALLER", LDFLAGS: "-Wl,--from-the-caller", CGO_CFLAGS: "-DFROM_THE_CALLER" };
    const result = await cli(["go-build", pkg, "--prefix", bare, "--target", HOST, "--out", join(root, "out3"), "--", "-n"], cleanEnv(cache, caller));
    expect(result.exitCode, result.stderr).toBe(0);
    const output = `${result.stdout}${result.stderr}`;
    const cgo = output.split("\n").find((l) => l.includes("/cgo -objdir") && l.includes("-importpath example.com/bare "));
    expect(cgo, output).toBeDefined();
    // CGO_CFLAGS sits between cgo's own -I and the Go file; CGO_LDFLAGS is set on the command.
    expect(cgo).toMatch(/ -I \$WORK\/b\d+\/ -O2 \.\/main\.go$/);
    expect(cgo).toContain(`CGO_LDFLAGS='"-O2"' `);
    expect(output).not.toMatch(/FROM_THE_CALLER|from-the-caller/);
  });

  it("fetches modules through the caller's GOPROXY", async () => {
    const pkg = writePackage(join(root, "fetch"), {
      "go.mod": "module example.com/fetch\n\ngo 1.19\n\nrequire example.com/nowhere v1.0.0\n",
      "main.go": 'package main\n\nimport "C"\nimport _ "example.com/nowhere"\n\nfunc main() {}\n',
    });
    const proxy = "http://127.0.0.1:9/conda-bazel-test-proxy";
    const result = await cli(["go-build", pkg, "--prefix", prefix, "--target", HOST, "--out", join(root, "out2"), "--", "-mod=mod"], cleanEnv(cache, { GOPROXY: proxy }));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${proxy}/example.com/nowhere/@v/v1.0.0`);
  });
});
