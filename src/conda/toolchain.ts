// Finds one target's conda compiler set in a prefix: the drivers and binutils under
// `<prefix>/bin/<conda-triplet>-*` (current triplet first, then legacy ones), the sysroot, and
// the default flags of its activation scripts. Running the compiler is probe.ts's job.
import { accessSync, constants, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import type { MissingTarget, Toolchain } from "../environment.js";
import { compilerFamilies, type CompilerFamily, type CompilerNames, type Target } from "../targets.js";
import { familyOfDriver, type ChoiceSource, type FamilyChoice } from "./compiler-choice.js";
import { activationFlags, activationValue, splitFlags, type Activation } from "./activation.js";
import { installCommand, toolchainPackages } from "./install-hint.js";

/** A toolchain before its compiler was probed. */
export type LocatedToolchain = Omit<Toolchain, "version" | "machine" | "builtinIncludeDirectories">;

type ToolField = "cxx" | "cpp" | "ar" | "ld" | "nm" | "objcopy" | "objdump" | "strip";

/** Activation variable and file-name suffixes (after `<triplet>-`) of each tool. */
function toolNames(names: CompilerNames): Record<ToolField, { variable: string; suffixes: readonly string[] }> {
  return {
    cxx: { variable: "CXX", suffixes: names.cxx },
    cpp: { variable: "CPP", suffixes: names.cpp },
    ar: { variable: "AR", suffixes: ["ar"] },
    ld: { variable: "LD", suffixes: ["ld"] },
    nm: { variable: "NM", suffixes: ["nm"] },
    objcopy: { variable: "OBJCOPY", suffixes: ["objcopy"] },
    objdump: { variable: "OBJDUMP", suffixes: ["objdump"] },
    strip: { variable: "STRIP", suffixes: ["strip"] },
  };
}

const REQUIRED: readonly ToolField[] = ["ar", "ld", "nm", "strip"];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The file a tool value (an activation script's, or CC/CXX of an activated shell) names:
 * absolute, or a bare name, which the activated env's PATH finds in the prefix's bin/. */
export function toolPath(prefix: string, value: string): string {
  return isAbsolute(value) ? value : join(prefix, "bin", value);
}

/** A tool the target's activation names. conda's scripts only ever name `${CONDA_PREFIX}/bin/...`
 * or a bare name, so a path elsewhere is ignored: an edited activation cache entry cannot make
 * discovery pick a compiler outside the env. */
function resolveTool(prefix: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const path = toolPath(prefix, value);
  return dirname(path) === join(prefix, "bin") && isExecutable(path) ? path : undefined;
}

/** The compiler family a target's toolchain is made of, why, and the other families installed. */
export interface CompilerChoice {
  readonly names: CompilerNames;
  readonly by: ChoiceSource;
  readonly others: readonly CompilerFamily[];
}

/** The C driver of `names` in bin/, current triplet first, or undefined. */
function findDriver(bin: string, target: Target, names: CompilerNames): string | undefined {
  return target.condaTriplets.flatMap((t) => names.cc.map((s) => join(bin, `${t}-${s}`))).find(isExecutable);
}

/** Which family the target's toolchain uses (see compiler-choice.ts), or why there is none. */
export function chooseCompiler(prefix: string, target: Target, preferred: FamilyChoice | undefined): CompilerChoice | MissingTarget {
  const bin = join(prefix, "bin");
  const families = compilerFamilies(target);
  const installed = families.filter((names) => findDriver(bin, target, names) !== undefined);
  const others = (chosen: CompilerNames) => installed.filter((n) => n !== chosen).map((n) => n.family);
  if (preferred?.by === "flag") {
    const names = installed.find((n) => n.family === preferred.family);
    if (names) return { names, by: "flag", others: others(names) };
    const wanted = families.find((n) => n.family === preferred.family);
    const expected = join(bin, `${target.condaTriplets[0]}-${wanted?.cc[0] ?? preferred.family}`);
    return { target: target.triplet, reason: `no ${preferred.family} C compiler for ${target.triplet}: ${expected} not found`, hint: installCommand(prefix, toolchainPackages(target, preferred.family)) };
  }
  const names = installed.find((n) => n.family === preferred?.family) ?? installed[0];
  if (!names) {
    // Only a missing target reads how the env was made (conda-meta/history).
    const expected = join(bin, `${target.condaTriplets[0]}-${target.ccName}`);
    return { target: target.triplet, reason: `no C compiler for ${target.triplet}: ${expected} not found`, hint: installCommand(prefix, toolchainPackages(target)) };
  }
  return { names, by: preferred && names.family === preferred.family ? preferred.by : "installed", others: others(names) };
}

/** `activation`: what the activation scripts of the target's chosen family export (activation.ts). */
export function locateToolchain(prefix: string, target: Target, activation: Activation, choice: CompilerChoice): LocatedToolchain | MissingTarget {
  const bin = join(prefix, "bin");
  const fromScript = resolveTool(prefix, activationValue(activation, "CC"));
  const cc = fromScript && familyOfDriver(target, fromScript) === choice.names.family ? fromScript : findDriver(bin, target, choice.names);
  const triplet = cc && target.condaTriplets.find((t) => basename(cc).startsWith(`${t}-`));
  const hint = () => installCommand(prefix, toolchainPackages(target, choice.names.family));
  if (!cc || !triplet) {
    return { target: target.triplet, reason: `no C compiler for ${target.triplet}: ${join(bin, `${target.condaTriplets[0]}-${choice.names.cc[0]}`)} not found`, hint: hint() };
  }

  const tools = {} as Record<ToolField, string | null>;
  for (const [field, { variable, suffixes }] of Object.entries(toolNames(choice.names)) as [ToolField, { variable: string; suffixes: readonly string[] }][]) {
    tools[field] =
      resolveTool(prefix, activationValue(activation, variable)) ?? suffixes.map((s) => join(bin, `${triplet}-${s}`)).find(isExecutable) ?? null;
  }
  const absent = REQUIRED.find((f) => tools[f] === null);
  if (absent) {
    return { target: target.triplet, reason: `no ${absent} for ${target.triplet}: ${join(bin, `${triplet}-${absent}`)} not found`, hint: hint() };
  }

  const sysroot = join(prefix, triplet, "sysroot");
  const flag = (name: string) => activationFlags(activation, name);
  const defaults = defaultFlags(prefix, target);
  const fromScripts = ["CFLAGS", "CXXFLAGS", "CPPFLAGS", "LDFLAGS"].some((name) => flag(name) !== undefined);
  return {
    target: target.triplet,
    condaTriplet: triplet,
    subdir: target.subdir,
    goos: target.goos,
    goarch: target.goarch,
    family: choice.names.family,
    ...(choice.others.length > 0 ? { compilerChoice: { by: choice.by, others: [...choice.others] } } : {}),
    cc,
    cxx: tools.cxx,
    cpp: tools.cpp,
    ar: tools.ar!,
    ld: tools.ld!,
    nm: tools.nm!,
    objcopy: tools.objcopy,
    objdump: tools.objdump,
    strip: tools.strip!,
    sysroot: statSync(sysroot, { throwIfNoEntry: false })?.isDirectory() ? sysroot : null,
    cflags: flag("CFLAGS") ?? defaults.cflags,
    cxxflags: flag("CXXFLAGS") ?? defaults.cxxflags,
    cppflags: flag("CPPFLAGS") ?? defaults.cppflags,
    ldflags: flag("LDFLAGS") ?? defaults.ldflags,
    flagsSource: fromScripts ? "activation" : "defaults",
  };
}

/** What the activation scripts would set, from the target table, for prefixes without them. */
function defaultFlags(prefix: string, target: Target): Pick<Toolchain, "cflags" | "cxxflags" | "cppflags" | "ldflags"> {
  const include = ["-isystem", join(prefix, "include")];
  const d = target.defaultFlags;
  return {
    cflags: [...splitFlags(d.cflags), ...include],
    cxxflags: [...splitFlags(d.cxxflags), ...include],
    cppflags: [...splitFlags(d.cppflags), ...include],
    ldflags: [...splitFlags(d.ldflags), ...splitFlags(d.prefixLdflags).map((f) => f.replaceAll("${CONDA_PREFIX}", prefix))],
  };
}

export function isMissing<T extends object>(result: T | MissingTarget): result is MissingTarget {
  return "reason" in result;
}
