// conda_build_config.yaml for recipes built against the environment's compilers, in
// conda-forge's conventions: the same keys as conda-forge-pinning (c_compiler, c_stdlib,
// cgo_compiler...), one value per target platform behind a `# [selector]` comment, so that
// conda-build and rattler-build, which evaluate selectors against `target_platform`, bind
// `compiler('c')`, `stdlib('c')` and `compiler('go-cgo')` to the activation packages
// (`gcc_<tp>`, `sysroot_<tp>`, `go-cgo_<tp>`) this environment holds, at its versions.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.js";
import type { Environment, Toolchain } from "../environment.js";
import { UsageError } from "../errors.js";
import { compilerFamilies, type Target } from "../targets.js";
import type { GenerateContext, GeneratedFile } from "./types.js";
import { yamlScalar } from "./yaml-scalar.js";

export const CONDA_BUILD_CONFIG_FILE = "conda_build_config.yaml";

/** Where init writes the file, relative to the workspace: next to a recipe in `recipe/`
 * when there is one (the one fact read from disk), else the workspace root;
 * `init.condaBuildConfig` overrides both. */
export function condaBuildConfigPath(workspace: string, config: Config): string {
  if (config.init.condaBuildConfig) return config.init.condaBuildConfig;
  return existsSync(join(workspace, "recipe")) ? `recipe/${CONDA_BUILD_CONFIG_FILE}` : CONDA_BUILD_CONFIG_FILE;
}

/** One variant key: its value per target (absent where the environment says nothing). */
interface Key {
  readonly name: string;
  readonly value: (toolchain: Toolchain, target: Target) => string | null;
  /** A compiler or stdlib key, which conda-forge names `m2w64_<name>` for mingw on Windows
   * (`c_compiler` stays vs2022 there; go-feedstock's recipes call `compiler('m2w64_c')`). */
  readonly mingw?: boolean;
}

// conda-forge-pinning's names for the compiler and stdlib packages are the table's package
// names without their `_<subdir>`: `compiler('c')` renders `<c_compiler>_<target_platform>
// <c_compiler_version>.*`, `stdlib('c')` likewise.
const packageStem = (target: Target, name: string): string => name.slice(0, -`_${target.subdir}`.length);

// conda pins compilers by major version (`c_compiler_version: 15`) and the stdlib by
// major.minor (`2.17`), m2w64-sysroot by major (`12`); a compiler may report a suffix (Debian's
// mingw gcc: `12-win32`).
const major = (version: string): string | null => /^\d+/.exec(version)?.[0] ?? null;
const majorMinor = (version: string): string | null => /^\d+(\.\d+)?/.exec(version)?.[0] ?? null;

const isMingw = (target: Target): boolean => target.subdir.startsWith("win-");

/** The packages of the family the toolchain uses: clang_linux-64 when clang was chosen. */
const packagesOf = (tc: Toolchain, t: Target): readonly string[] => compilerFamilies(t).find((n) => n.family === tc.family)?.packages ?? t.compilerPackages;

const KEYS: readonly Key[] = [
  { name: "c_compiler", value: (tc, t) => packageStem(t, packagesOf(tc, t)[0]!), mingw: true },
  { name: "c_compiler_version", value: (tc) => major(tc.version), mingw: true },
  { name: "cxx_compiler", value: (tc, t) => packageStem(t, packagesOf(tc, t)[1]!), mingw: true },
  { name: "cxx_compiler_version", value: (tc) => major(tc.version), mingw: true },
  { name: "c_stdlib", value: (_tc, t) => packageStem(t, t.stdlibPackage), mingw: true },
  { name: "c_stdlib_version", value: (tc, t) => (tc.stdlibVersion ? (isMingw(t) ? major : majorMinor)(tc.stdlibVersion) : null), mingw: true },
  { name: "target_platform", value: (_tc, t) => t.subdir },
  { name: "target_goos", value: (_tc, t) => t.goos },
  { name: "target_goarch", value: (_tc, t) => t.goarch },
];

/** The key a target's value goes under. */
const keyName = (key: Key, target: Target): string => (key.mingw && isMingw(target) ? `m2w64_${key.name}` : key.name);

/** Zipped so that a variant never pairs one target's platform with another's GOOS/GOARCH. */
const ZIPPED = ["target_platform", "target_goos", "target_goarch"];

// conda-forge-pinning's values: `compiler('go-cgo')` needs no key (it falls back to the
// language name), `compiler('cgo')` and `compiler('go')` read these.
const GO_KEYS: ReadonlyArray<readonly [string, string]> = [
  ["cgo_compiler", "go-cgo"],
  ["go_compiler", "go-nocgo"],
];

const COMMENT_COLUMN = 32;

/** A YAML scalar on one line, quoted where YAML 1.1 (PyYAML, which conda-build uses) would
 * read it as something else. Selectors are line-based, so a value must fit on one line. */
function scalar(value: string): string {
  if (/[\n[\]#]/.test(value)) {
    throw new UsageError(`cannot write '${value}' into ${CONDA_BUILD_CONFIG_FILE}`, "values must be one line without '[', ']' or '#'");
  }
  return yamlScalar(value);
}

function line(text: string, selector: string): string {
  return `${text.padEnd(COMMENT_COLUMN - 1)} # [${selector}]`;
}

/** The managed block of conda_build_config.yaml: the chosen targets the env has compilers for. */
export function generateCondaBuildConfig(env: Environment, config: Config, context: GenerateContext): GeneratedFile[] {
  const path = condaBuildConfigPath(context.workspace, config);
  return [{ kind: "block", path, comment: "#", contents: condaBuildConfigBlock(env, context.targets) }];
}

function condaBuildConfigBlock(env: Environment, targets: readonly Target[]): string {
  const rows = targets.flatMap((target) => {
    const toolchain = env.toolchains.find((tc) => tc.target === target.triplet);
    return toolchain ? [{ target, toolchain }] : [];
  });
  const out = [
    "# Generated by conda-bazel from the conda environment's compilers: one value per target",
    "# platform, chosen by conda-build / rattler-build through target_platform, e.g.",
    "#   conda-build recipe --variants \"{target_platform: linux-aarch64}\"",
    ...GO_KEYS.flatMap(([key, value]) => [`${key}:`, `  - ${scalar(value)}`]),
  ];
  if (rows.length === 0) return `${out.join("\n")}\n`;
  const any = rows.length === 1 ? rows[0]!.target.selector : rows.map((r) => `(${r.target.selector})`).join(" or ");
  for (const key of KEYS) {
    const values = rows.flatMap(({ target, toolchain }) => {
      const value = key.value(toolchain, target);
      return value === null ? [] : [{ name: keyName(key, target), value, selector: target.selector }];
    });
    for (const name of [...new Set(values.map((v) => v.name))]) {
      const own = values.filter((v) => v.name === name);
      const keySelector = own.length === rows.length ? any : own.map((v) => `(${v.selector})`).join(" or ");
      out.push(line(`${name}:`, keySelector), ...own.map((v) => line(`  - ${scalar(v.value)}`, v.selector)));
    }
  }
  out.push(line("zip_keys:", any), line("  -", any), ...ZIPPED.map((key) => line(`    - ${key}`, any)));
  return `${out.join("\n")}\n`;
}
