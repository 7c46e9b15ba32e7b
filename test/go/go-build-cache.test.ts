// go-build and Go's build cache: installing an unrelated package into the env keeps the cache
// warm (nothing is compiled again), while a changed compiler (same path, same version line, other
// bytes) is never served stale objects. `-- -x` shows what go ran, which go-build otherwise keeps
// quiet on success. Host target only. Go's cache is the run's shared one (the standard library
// compiled by the other go-build files): this file's package and compiler are its own, at paths of
// its own, so what the assertions count is compiled here whatever the cache already holds.
import { execa } from "execa";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, cli, standInPrefix, tempDir } from "../cli/helpers.js";
import { sharedCacheDir } from "../support/shared-caches.js";

const HOST = "x86_64-unknown-linux-gnu";

// FLAVOR comes from the compiler's command line when a wrapper defines it, else 1.
const PACKAGE: Record<string, string> = {
  "go.mod": "module example.com/flavor\n\ngo 1.19\n",
  "flavor.go": [
    "package main",
    "",
    "/*",
    "#ifndef FLAVOR",
    "#define FLAVOR 1",
    "#endif",
    "static int flavor(void) { return FLAVOR; }",
    "*/",
    'import "C"',
    "",
    "//export Flavor",
    "func Flavor() C.int { return C.flavor() }",
    "",
    "func main() {}",
    "",
  ].join("\n"),
};

/** What the library's Flavor() returns, loaded with ctypes as a Python consumer would. */
async function flavor(library: string): Promise<string> {
  const { stdout } = await execa("python3", ["-c", "import ctypes, sys\nprint(ctypes.CDLL(sys.argv[1]).Flavor())", library]);
  return stdout.trim();
}

/** Lines of go's `-x` output that compile the package in `dir`: its C compiled with the conda
 * compiler, its cgo imports. (In c-shared mode go redoes runtime/cgo every time, and the final
 * link always runs: with the empty build ID go-build sets for reproducible bytes, go cannot tell
 * that the library in place is up to date.) */
function packageRuns(stderr: string, dir: string): string[] {
  return stderr.split("\n").filter((line) => line.includes(`-conda-linux-gnu-cc -I ${dir} `) || line.includes("cgo -dynpackage main"));
}

describe("go-build and Go's build cache", () => {
  const root = tempDir("conda-bazel-gocache-");
  const prefix = standInPrefix({ subdirs: ["linux-64"] });
  const cache = sharedCacheDir();
  const pkg = join(root, "flavor");
  const out = join(root, "out");
  const library = join(out, HOST, "libflavor.so");
  const goBuild = (...goArgs: string[]) => cli(["go-build", pkg, "--prefix", prefix, "--target", HOST, "--out", out, ...(goArgs.length ? ["--", ...goArgs] : [])], cleanEnv(cache));
  let first: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    mkdirSync(pkg, { recursive: true });
    for (const [name, text] of Object.entries(PACKAGE)) writeFileSync(join(pkg, name), text);
    first = await goBuild("-x");
  });

  it("shows go's own output when asked with -x or -n, and only then", async () => {
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain(`conda-bazel: go-build ${HOST}: go build printed:`);
    expect(await flavor(library)).toBe("1");
    const quiet = await goBuild();
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain("go build printed");
    // -n prints what go would run and builds nothing: the library stays as it was.
    const before = readFileSync(library);
    const dry = await goBuild("-n");
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stderr).toContain(`conda-bazel: go-build ${HOST}: go build printed:`);
    expect(readFileSync(library).equals(before)).toBe(true);
  });

  it("compiles nothing again after an unrelated package is installed", async () => {
    const record = { name: "requests", version: "2.31.0", build: "pyhd8ed1ab_0", build_number: 0, subdir: "noarch", depends: [], files: ["lib/python3.12/site-packages/requests/__init__.py"] };
    writeFileSync(join(prefix, "conda-meta", "requests-2.31.0-pyhd8ed1ab_0.json"), JSON.stringify(record));
    const before = readFileSync(library);
    const again = await goBuild("-x");
    expect(again.exitCode, again.stderr).toBe(0);
    expect(packageRuns(first.stderr, pkg).length, first.stderr).toBeGreaterThan(0);
    expect(packageRuns(again.stderr, pkg), again.stderr).toEqual([]);
    expect(readFileSync(library).equals(before)).toBe(true);
  });

  it("does not reuse objects of a compiler that changed", async () => {
    // The same path and version line, other bytes: a wrapper that now defines FLAVOR.
    const wrapper = join(prefix, "bin", "x86_64-conda-linux-gnu-gcc");
    const text = readFileSync(wrapper, "utf8");
    expect(text).toMatch(/^exec /m);
    writeFileSync(wrapper, text.replace(/^exec (\S+)/m, "exec $1 -DFLAVOR=2"));
    const rebuilt = await goBuild();
    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
    expect(await flavor(library)).toBe("2");
  });
});
