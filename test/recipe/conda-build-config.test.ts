// conda_build_config.yaml as conda-build reads it for each target platform: the selectors
// evaluated the way conda-build does, the compiler()/stdlib() specs rendered from the variant,
// and checked against the packages the environment really holds and the real compilers.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigSchema } from "../../src/config.js";
import { EnvironmentSchema, type Environment } from "../../src/environment.js";
import { generateCondaBuildConfig } from "../../src/generate/conda-build-config.js";
import type { GenerateContext } from "../../src/generate/types.js";
import { targetByTriplet } from "../../src/targets.js";
import { BIN as cli, cleanEnv, standInPrefix, tempDir } from "../cli/helpers.js";
import { selectLines } from "./selectors.js";

let dir: string;
let env: Environment;
let prefix: string;
/** What `conda-bazel go-env` says go-build runs `go build` with, per target. */
let goBuildEnv: { target: string; env: Record<string, string> }[];

function context(workspace: string): GenerateContext {
  return {
    workspace,
    mode: "workspace",
    workspaceFile: "WORKSPACE",
    targets: env.toolchains.map((tc) => targetByTriplet(tc.target)),
    callout: { node: process.execPath, script: cli },
    starlarkFiles: new Map(),
  };
}

/** What conda-build's compiler()/stdlib() render for the variant: `<name>_<target_platform>`
 * and the version constraint `<version>.*` (conda_build/jinja_context.py). */
function rendered(variant: Record<string, string[]>, key: string, fallback?: string): { name: string; version?: string } {
  const name = `${variant[key]?.[0] ?? fallback}_${variant.target_platform![0]}`;
  const version = variant[`${key}_version`]?.[0];
  return version === undefined ? { name } : { name, version };
}

const tc = (target: string) => env.toolchains.find((t) => t.target === target)!;

/** The `<name>-<version>-<build>.json` records installed in the prefix. */
function installed(name: string): string[] {
  return readdirSync(join(prefix, "conda-meta"))
    .filter((f) => f.startsWith(`${name}-`) && /^[^-]+-[^-]+\.json$/.test(f.slice(name.length + 1)))
    .map((f) => f.slice(name.length + 1).split("-")[0]!);
}

beforeAll(() => {
  dir = tempDir("cbc-");
  prefix = standInPrefix({ goActivation: ["linux-64", "linux-aarch64", "linux-ppc64le", "win-64"] }, "prefix");
  const out = execFileSync(process.execPath, [cli, "describe", "--prefix", prefix, "--json"], { encoding: "utf8", env: cleanEnv(join(dir, "probe-cache")) });
  env = EnvironmentSchema.parse(JSON.parse(out));
  const goEnv = execFileSync(process.execPath, [cli, "go-env", "--prefix", prefix], { encoding: "utf8", env: cleanEnv(join(dir, "probe-cache")) });
  goBuildEnv = (JSON.parse(goEnv) as { targets: { target: string; env: Record<string, string> }[] }).targets;
});

describe("conda_build_config.yaml", () => {
  it("goes next to the recipe when recipe/ exists, else to the root, unless configured", () => {
    const config = ConfigSchema.parse({});
    const [plain] = generateCondaBuildConfig(env, config, context(join(dir, "ws-plain")));
    expect(plain!.path).toBe("conda_build_config.yaml");
    mkdirSync(join(dir, "ws-recipe", "recipe"), { recursive: true });
    const [withRecipe] = generateCondaBuildConfig(env, config, context(join(dir, "ws-recipe")));
    expect(withRecipe!.path).toBe("recipe/conda_build_config.yaml");
    const [configured] = generateCondaBuildConfig(env, ConfigSchema.parse({ init: { condaBuildConfig: "conda/cbc.yaml" } }), context(dir));
    expect(configured!.path).toBe("conda/cbc.yaml");
  });

  it("binds compiler('c'), stdlib('c') and compiler('go-cgo') per target platform to what the env holds", () => {
    const [file] = generateCondaBuildConfig(env, ConfigSchema.parse({}), context(dir));
    expect(env.toolchains.length).toBeGreaterThanOrEqual(4);
    for (const tc of env.toolchains) {
      const variant = parse(selectLines(file!.contents, tc.subdir)) as Record<string, string[]>;
      expect(variant.target_platform, tc.subdir).toEqual([tc.subdir]);
      // conda-forge keeps c_compiler (vs2022) for Windows and names mingw's keys m2w64_*.
      const k = (name: string) => (tc.subdir === "win-64" ? `m2w64_${name}` : name);
      for (const key of [k("c_compiler"), k("cxx_compiler"), k("c_stdlib"), "target_goos", "target_goarch"]) expect(variant[key], key).toHaveLength(1);

      // compiler('c') / compiler('cxx'): the activation packages, at the real compiler's major version.
      const dumped = execFileSync(tc.cc, ["-dumpfullversion", "-dumpversion"], { encoding: "utf8" }).trim();
      for (const key of [k("c_compiler"), k("cxx_compiler")]) {
        const spec = rendered(variant, key);
        expect(spec.version, key).toBe(/^\d+/.exec(dumped)![0]);
        expect(installed(spec.name).some((v) => v === spec.version || v.startsWith(`${spec.version}.`)), `${spec.name} ${spec.version}.* installed`).toBe(true);
      }
      // stdlib('c'): the sysroot package, at its installed version.
      const stdlib = rendered(variant, k("c_stdlib"));
      expect(installed(stdlib.name).some((v) => v === stdlib.version || v.startsWith(`${stdlib.version}.`)), `${stdlib.name} ${stdlib.version}`).toBe(true);
      // compiler('go-cgo') has no key and falls back to the language name; compiler('cgo') reads cgo_compiler.
      expect(installed(rendered(variant, "go-cgo_compiler", "go-cgo").name)).not.toHaveLength(0);
      expect(installed(rendered(variant, "cgo_compiler").name)).not.toHaveLength(0);

      // GOOS/GOARCH: the pair go-build builds the target with, whose libraries go-build.test.ts
      // checks against the machine of each target's compilers (ELF machine, PE for Windows).
      const built = goBuildEnv.find((t) => t.target === tc.target);
      expect(built, tc.target).toBeDefined();
      expect([variant.target_goos, variant.target_goarch], tc.subdir).toEqual([[built!.env.GOOS], [built!.env.GOARCH]]);
    }
  });

  it("gives win-64 conda-forge-pinning's shape: m2w64_* keys for mingw, c_compiler left to the pinning", () => {
    const [file] = generateCondaBuildConfig(env, ConfigSchema.parse({}), context(dir));
    const win = parse(selectLines(file!.contents, "win-64")) as Record<string, unknown[]>;
    // Versions are written quoted; conda-build uses variant values as strings either way.
    const gccVersion = /^\d+/.exec(tc("x86_64-pc-windows-gnu").version)![0];
    expect(win).toMatchObject({
      m2w64_c_compiler: ["gcc"],
      m2w64_c_compiler_version: [gccVersion],
      m2w64_cxx_compiler: ["gxx"],
      m2w64_cxx_compiler_version: [gccVersion],
      m2w64_c_stdlib: ["m2w64-sysroot"],
      m2w64_c_stdlib_version: ["12"],
      target_platform: ["win-64"],
    });
    for (const key of ["c_compiler", "cxx_compiler", "c_stdlib", "c_stdlib_version", "c_compiler_version"]) expect(win[key], key).toBeUndefined();
    const linux = parse(selectLines(file!.contents, "linux-64")) as Record<string, unknown[]>;
    expect(Object.keys(linux).filter((key) => key.startsWith("m2w64_"))).toEqual([]);
    expect(linux.c_compiler).toEqual(["gcc"]);
  });

  it("is written by init next to the recipe; a second init keeps the user's keys and writes nothing", () => {
    const ws = join(dir, "ws-init");
    mkdirSync(join(ws, "recipe"), { recursive: true });
    writeFileSync(join(ws, "WORKSPACE"), 'workspace(name = "ws")\n');
    const path = join(ws, "recipe", "conda_build_config.yaml");
    const user = "# the recipe's own variants\npython:\n  - 3.11\nchannel_targets:\n  - conda-forge main\n";
    writeFileSync(path, user);
    const init = () => execFileSync(process.execPath, [cli, "init", "--prefix", prefix, "--workspace", ws], { encoding: "utf8", env: cleanEnv(join(dir, "probe-cache")) });
    init();
    const first = readFileSync(path, "utf8");
    expect(first.startsWith(user), "the user's lines stay first, byte for byte").toBe(true);
    const variant = parse(selectLines(first, "linux-aarch64")) as Record<string, string[]>;
    expect(variant.python).toEqual([3.11]);
    expect(variant.channel_targets).toEqual(["conda-forge main"]);
    expect(variant.target_platform).toEqual(["linux-aarch64"]);
    const mtime = statSync(path).mtimeMs;
    init();
    expect(readFileSync(path, "utf8")).toBe(first);
    expect(statSync(path).mtimeMs).toBe(mtime);
    // The user edits their part after init: the next init keeps the edit and the block.
    writeFileSync(path, first.replace("  - 3.11\n", "  - 3.11\n  - 3.12\n"));
    init();
    const third = parse(selectLines(readFileSync(path, "utf8"), "linux-64")) as Record<string, unknown[]>;
    expect(third.python).toEqual([3.11, 3.12]);
    expect(third.c_compiler).toEqual(["gcc"]);
  });

  it("leaves out what the env lacks: only the targets with compilers, no stdlib version without a sysroot", () => {
    const [file] = generateCondaBuildConfig({ ...env, toolchains: env.toolchains.map((tc) => ({ ...tc, stdlibVersion: null })) }, ConfigSchema.parse({}), context(dir));
    const aarch64 = parse(selectLines(file!.contents, "linux-aarch64")) as Record<string, unknown>;
    expect(aarch64.c_stdlib_version).toBeUndefined();
    expect(aarch64.c_stdlib).toEqual(["sysroot"]);
    const osx = parse(selectLines(file!.contents, "osx-arm64")) as Record<string, unknown>;
    expect(osx.c_compiler).toBeUndefined();
    expect(osx.target_platform).toBeUndefined();
    expect(osx.zip_keys).toBeUndefined();
  });
});
