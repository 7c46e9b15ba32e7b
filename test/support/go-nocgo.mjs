// @ts-check
// A Go toolchain with go-nocgo's defaults. go-feedstock builds go-nocgo with
// `CGO_ENABLED=0 CC=/dev/null ./make.bash` (recipe/nocgo/build.sh); what that changes in how the
// go command behaves is three files cmd/dist generates and compiles into it: go/build/zcgo.go
// (defaultCGO_ENABLED "0") and the zdefaultcc.go of cmd/go and cmd/cgo (DefaultCC "/dev/null").
// Here Debian's Go sources are copied with those files as dist writes them for these settings,
// and cmd/go and cmd/cgo are rebuilt from the copy by Debian's Go, beside Debian's compiler,
// linker and standard library. They are built as Debian built its pkg/linux_amd64 (cgo on, no
// -trimpath), so only go/build and the packages that import it compile: about 20 CPU-seconds,
// where make.bash's three toolchain builds take 7 CPU-minutes. (make.bash would build them with
// cgo off; how the go command picks its defaults does not depend on that.) A standard package's
// action ID leaves out GOROOT's path and the C compiler's identity (buildActionID in
// cmd/go/internal/work/exec.go), so Debian's packages match from the copy, and no gcc runs: the
// build works beside apt before gcc is installed. The result is kept in a cache directory keyed
// by the sources' version; the cache only saves that time. Plain JS without dependencies:
// ensure-deps.mjs builds it beside apt, before npm ci.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { testCacheRoot } from "./test-cache.mjs";

const BOOTSTRAP = "/usr/lib/go";

/**
 * The Go release and, where dpkg knows it, the Debian package version of its sources.
 * @param {string} goroot
 */
function sourceKey(goroot) {
  const version = readFileSync(join(goroot, "VERSION"), "utf8").split("\n")[0].trim();
  let packaged = "unpackaged";
  try {
    const pkg = execFileSync("dpkg-query", ["-S", realpathSync(join(goroot, "src", "make.bash"))], { encoding: "utf8" }).split(":")[0];
    packaged = `${pkg}_${execFileSync("dpkg-query", ["-W", "-f", "${Version}", pkg], { encoding: "utf8" })}`;
  } catch {
    // Not a Debian package: the release alone names the sources.
  }
  return `${version}-${packaged}`.replace(/[^A-Za-z0-9._+-]/g, "_");
}

/** @type {string | undefined} */
let cachePath;

/** Where the toolchain for Debian's Go sources is (or will be) kept; dpkg is asked once. */
export function nocgoCachePath() {
  cachePath ??= join(testCacheRoot(), `go-nocgo-defaults-${sourceKey(realpathSync(BOOTSTRAP))}`);
  return cachePath;
}

/**
 * Rewrites a generated file of `src`, failing if its text is not what dist writes.
 * @param {string} src
 * @param {string} file
 * @param {RegExp} from
 * @param {string} to
 */
function regenerate(src, file, from, to) {
  const path = join(src, file);
  const text = readFileSync(path, "utf8");
  if (!from.test(text)) throw new Error(`${path} is not as go tool dist writes it (${from}): update test/support/go-nocgo.mjs for this Go`);
  writeFileSync(path, text.replace(from, to));
}

/**
 * Runs a go command to its end; rejects with the command and its exit status.
 * @param {string} goCommand
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @returns {Promise<void>}
 */
function go(goCommand, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(goCommand, args, { env, stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`go ${args.join(" ")} failed: ${signal ?? `exit ${code}`}`))));
  });
}

/**
 * GOROOT of the go-nocgo toolchain, built on first use (asynchronously: a vitest worker blocked
 * for a minute misses its RPC deadline).
 * @returns {Promise<string>}
 */
export async function nocgoGoroot() {
  const bootstrap = realpathSync(BOOTSTRAP);
  if (!existsSync(join(bootstrap, "src", "make.bash"))) {
    throw new Error(`no Go sources at ${bootstrap}/src: install golang-1.19-src (node scripts/ensure-deps.mjs)`);
  }
  const goroot = nocgoCachePath();
  if (existsSync(join(goroot, "bin", "go"))) return goroot;
  const building = `${goroot}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(join(building, "bin"), { recursive: true });
  cpSync(join(bootstrap, "src"), join(building, "src"), { recursive: true, dereference: true });
  cpSync(join(bootstrap, "VERSION"), join(building, "VERSION"));
  // What `CGO_ENABLED=0 CC=/dev/null` makes dist write (mkzcgo, mkzdefaultcc in cmd/dist).
  regenerate(join(building, "src"), "go/build/zcgo.go", /^const defaultCGO_ENABLED = ".*"$/m, 'const defaultCGO_ENABLED = "0"');
  for (const file of ["cmd/go/internal/cfg/zdefaultcc.go", "cmd/cgo/zdefaultcc.go"]) {
    regenerate(join(building, "src"), file, /(func [dD]efaultCC\(goos, goarch string\) string \{\n\tswitch goos\+`\/`\+goarch \{\n\t\}\n\treturn )".*"/, '$1"/dev/null"');
  }
  // Debian's compiler, linker and assembler, headers and compiled packages; cmd/go and cmd/cgo
  // rebuilt from the regenerated sources (the go command finds this GOROOT from its own path).
  mkdirSync(join(building, "pkg", "tool"), { recursive: true });
  for (const entry of ["include", "linux_amd64"]) symlinkSync(join(bootstrap, "pkg", entry), join(building, "pkg", entry));
  const tools = join(building, "pkg", "tool", "linux_amd64");
  cpSync(join(bootstrap, "pkg", "tool", "linux_amd64"), tools, { recursive: true, dereference: true });
  const env = { PATH: "/usr/bin:/bin", HOME: building, GOROOT: building, GOCACHE: join(building, ".gocache"), GOTOOLCHAIN: "local" };
  const bootstrapGo = join(bootstrap, "bin", "go");
  await go(bootstrapGo, ["build", "-o", join(building, "bin", "go"), "cmd/go"], env);
  await go(bootstrapGo, ["build", "-o", join(tools, "cgo"), "cmd/cgo"], env);
  symlinkSync(join(bootstrap, "bin", "gofmt"), join(building, "bin", "gofmt"));
  rmSync(join(building, ".gocache"), { recursive: true, force: true });
  rmSync(goroot, { recursive: true, force: true });
  renameSync(building, goroot);
  return goroot;
}
