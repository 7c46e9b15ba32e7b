// A Go toolchain built as conda-forge builds go-nocgo (go-feedstock recipe/nocgo/build.sh:
// `CGO_ENABLED=0 CC=/dev/null ./make.bash`), from the Go sources Debian ships, with Debian's Go
// as the bootstrap. Building takes about 7 CPU-minutes (16 wall-minutes on a busy 2-core machine),
// so the result is kept in a cache directory keyed by the sources' version; the cache only saves
// that time: without it every run builds again.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const BOOTSTRAP = "/usr/lib/go";

function cacheRoot(): string {
  const env = process.env;
  return env.CONDA_BAZEL_TEST_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "conda-bazel-test");
}

/** The Go release and, where dpkg knows it, the Debian package version of its sources. */
function sourceKey(goroot: string): string {
  const version = readFileSync(join(goroot, "VERSION"), "utf8").split("\n")[0]!.trim();
  let packaged = "unpackaged";
  try {
    const pkg = execFileSync("dpkg-query", ["-S", realpathSync(join(goroot, "src", "make.bash"))], { encoding: "utf8" }).split(":")[0]!;
    packaged = `${pkg}_${execFileSync("dpkg-query", ["-W", "-f", "${Version}", pkg], { encoding: "utf8" })}`;
  } catch {
    // Not a Debian package: the release alone names the sources.
  }
  return `${version}-${packaged}`.replace(/[^A-Za-z0-9._+-]/g, "_");
}

/** GOROOT of the go-nocgo toolchain, built on first use. */
export function nocgoGoroot(): string {
  const bootstrap = realpathSync(BOOTSTRAP);
  if (!existsSync(join(bootstrap, "src", "make.bash"))) {
    throw new Error(`no Go sources at ${bootstrap}/src: install golang-1.19-src (node scripts/ensure-deps.mjs)`);
  }
  const goroot = join(cacheRoot(), `go-nocgo-${sourceKey(bootstrap)}`);
  if (existsSync(join(goroot, "bin", "go"))) return goroot;
  const building = `${goroot}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  // make.bash writes generated files into src/, so the sources are copied.
  cpSync(join(bootstrap, "src"), join(building, "src"), { recursive: true, dereference: true });
  cpSync(join(bootstrap, "VERSION"), join(building, "VERSION"));
  execFileSync("./make.bash", [], {
    cwd: join(building, "src"),
    env: { PATH: "/usr/bin:/bin", HOME: building, GOROOT_BOOTSTRAP: bootstrap, CGO_ENABLED: "0", CC: "/dev/null", GOCACHE: join(building, ".gocache") },
    stdio: ["ignore", "ignore", "inherit"],
  });
  rmSync(join(building, ".gocache"), { recursive: true, force: true });
  rmSync(goroot, { recursive: true, force: true });
  renameSync(building, goroot);
  return goroot;
}
