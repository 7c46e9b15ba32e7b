// The example recipe's build.sh, run the way conda-build runs it for a cross build to
// linux-aarch64: the build env (compilers, go-cgo_linux-aarch64) activated with CONDA_BUILD=1,
// PREFIX/BUILD_PREFIX/SRC_DIR/target_platform set. The library it installs must be an aarch64
// library with its SONAME and header that a C program links against and runs under qemu. The
// recipe's compiler()/stdlib() requirements, rendered with the generated conda_build_config.yaml,
// must name packages that build env holds.
import { execa } from "execa";
import { cpSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigSchema } from "../../src/config.js";
import { EnvironmentSchema } from "../../src/environment.js";
import { generateCondaBuildConfig } from "../../src/generate/conda-build-config.js";
import { targetByTriplet } from "../../src/targets.js";
import { BIN, cleanEnv, cli, ROOT, standInPrefix, tempDir } from "../cli/helpers.js";
import { sharedCacheDir } from "../support/shared-caches.js";
import { selectLines } from "./selectors.js";

const MONOREPO = join(ROOT, "examples", "monorepo");
const RECIPE = join(MONOREPO, "recipe");
const TARGET_PLATFORM = "linux-aarch64";
const BUILD_PLATFORM = "linux-64";

// What conda-build does for a build env: the activation scripts, which define their own
// `_tc_activation`, sourced in sorted order with CONDA_PREFIX=BUILD_PREFIX (without errexit, as
// conda's activation runs them), env_vars.d applied; then build.sh.
const ACTIVATE_AND_BUILD = `export GOTOOLCHAIN=local
for script in "$BUILD_PREFIX"/etc/conda/activate.d/*.sh; do . "$script"; done
set -eo pipefail
cd "$SRC_DIR"
bash "$RECIPE_DIR/build.sh"
`;

describe("example recipe", () => {
  const root = tempDir("conda-bazel-recipe-");
  let buildPrefix: string;
  const hostPrefix = join(root, "host env");
  const srcDir = join(root, "work");

  beforeAll(() => {
    buildPrefix = standInPrefix({ subdirs: [BUILD_PLATFORM, TARGET_PLATFORM], goActivation: [TARGET_PLATFORM], python: false, filler: 2 }, "build env");
    mkdirSync(join(hostPrefix, "conda-meta"), { recursive: true });
    cpSync(join(MONOREPO, "golib"), srcDir, { recursive: true });
  });

  it("build.sh cross-builds an aarch64 golib into PREFIX that a C program links against and runs under qemu", async () => {
    const home = join(root, "home");
    mkdirSync(home, { recursive: true });
    const env = {
      PATH: `${join(buildPrefix, "bin")}:${dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: home,
      // The run's shared cache, as a build machine keeps its own across builds: Go's standard
      // library for aarch64 is then compiled once for the run (a cache can make this faster, never different).
      CONDA_BAZEL_CACHE_DIR: sharedCacheDir(),
      CONDA_BAZEL: BIN,
      CONDA_BUILD: "1",
      CONDA_BUILD_STATE: "BUILD",
      CONDA_PREFIX: buildPrefix,
      PREFIX: hostPrefix,
      BUILD_PREFIX: buildPrefix,
      SRC_DIR: srcDir,
      RECIPE_DIR: RECIPE,
      PKG_NAME: "golib",
      PKG_VERSION: "0.1.0",
      SUBDIR: TARGET_PLATFORM,
      target_platform: TARGET_PLATFORM,
      build_platform: BUILD_PLATFORM,
    };
    const build = await execa("bash", ["-c", ACTIVATE_AND_BUILD], { env, extendEnv: false, reject: false });
    expect(build.exitCode, `${build.stdout}\n${build.stderr}`).toBe(0);

    const library = join(hostPrefix, "lib", "libgolib.so");
    const header = await execa("readelf", ["-h", "-d", library]);
    expect(/Machine:\s+(.+)/.exec(header.stdout)![1]!.trim()).toBe("AArch64");
    expect(header.stdout).toMatch(/\(SONAME\)\s+Library soname: \[libgolib\.so\]/);
    expect(readdirSync(join(hostPrefix, "include"))).toEqual(["libgolib.h"]);

    // A consumer as another recipe would build it: the target compiler, the installed header and library.
    const cc = join(buildPrefix, "bin", "aarch64-conda-linux-gnu-cc");
    const program = join(root, "cprog");
    await execa(cc, ["-I", join(hostPrefix, "include"), "-I", MONOREPO, join(MONOREPO, "cprog", "main.c"), join(MONOREPO, "clib", "stats.c"), "-L", join(hostPrefix, "lib"), "-lgolib", "-o", program]);
    const run = await execa("qemu-aarch64", ["-L", join(buildPrefix, "aarch64-conda-linux-gnu", "sysroot"), "-E", `LD_LIBRARY_PATH=${join(hostPrefix, "lib")}`, program]);
    const squares = Array.from({ length: 10 }, (_, i) => (i + 1) ** 2).reduce((a, b) => a + b);
    expect(run.stdout.split("\n")).toEqual(["Add(40, 2) = 42", "Greet = hello, bazel", "Midpoint = 2,4", `SumOfSquares(10) = ${squares}`]);
  });

  it("recipe.yaml's compiler('c'), stdlib('c') and compiler('go-cgo') render to packages of the build env", async () => {
    const describe = await cli(["describe", "--prefix", buildPrefix, "--json"], cleanEnv(sharedCacheDir()));
    const env = EnvironmentSchema.parse(JSON.parse(describe.stdout));
    const targets = env.toolchains.map((tc) => targetByTriplet(tc.target));
    const [cbc] = generateCondaBuildConfig(env, ConfigSchema.parse({}), { workspace: root, mode: "workspace", workspaceFile: "WORKSPACE", targets, callout: { node: process.execPath, script: BIN }, starlarkFiles: new Map() });
    const variant = parse(selectLines(cbc!.contents, TARGET_PLATFORM)) as Record<string, string[]>;
    const recipe = parse(readFileSync(join(RECIPE, "recipe.yaml"), "utf8")) as { requirements: { build: string[] } };
    const calls = recipe.requirements.build.flatMap((req) => [.../\$\{\{\s*(compiler|stdlib)\('([\w-]+)'\)\s*\}\}/.exec(req) ?? []].slice(1, 3));
    expect(calls).toEqual(["compiler", "c", "stdlib", "c", "compiler", "go-cgo"]);
    const records = readdirSync(join(buildPrefix, "conda-meta"));
    for (let i = 0; i < calls.length; i += 2) {
      // rattler-build: `<variant[<lang>_<kind>] or lang>_<target_platform>`, version from `<lang>_<kind>_version`.
      const key = `${calls[i + 1]!.replace(/-/g, "_")}_${calls[i] === "compiler" ? "compiler" : "stdlib"}`;
      const name = `${variant[key]?.[0] ?? calls[i + 1]}_${variant.target_platform![0]}`;
      const version = variant[`${key}_version`]?.[0];
      const match = records.find((r) => r.startsWith(`${name}-`) && (version === undefined || r.slice(name.length + 1).startsWith(version)));
      expect(match, `${name} ${version ?? ""}`).toBeDefined();
    }
  });
});
