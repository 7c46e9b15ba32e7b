// Finds one target's conda compiler set in a prefix: the drivers and binutils under
// `<prefix>/bin/<conda-triplet>-*` (current triplet first, then legacy ones), the sysroot, and
// the default flags of its activation scripts. Running the compiler is probe.ts's job.
import { accessSync, constants, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import type { MissingTarget, Toolchain } from "../environment.js";
import type { Target } from "../targets.js";
import { activationFlags, activationValue, splitFlags, type Activation } from "./activation.js";
import { installCommand, toolchainPackages } from "./install-hint.js";

/** A toolchain before its compiler was probed. */
export type LocatedToolchain = Omit<Toolchain, "version" | "machine" | "builtinIncludeDirectories">;

type ToolField = "cxx" | "cpp" | "ar" | "ld" | "nm" | "objcopy" | "objdump" | "strip";

/** Activation variable and file-name suffixes (after `<triplet>-`) of each tool. */
function toolNames(target: Target): Record<ToolField, { variable: string; suffixes: string[] }> {
  const gcc = target.family === "gcc";
  return {
    cxx: { variable: "CXX", suffixes: [target.cxxName, gcc ? "g++" : "clang++"] },
    cpp: { variable: "CPP", suffixes: gcc ? ["cpp"] : ["clang-cpp"] },
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

/** `activation`: what the target's own activation scripts export (see activation.ts). */
export function locateToolchain(prefix: string, target: Target, activation: Activation): LocatedToolchain | MissingTarget {
  const bin = join(prefix, "bin");
  const ccSuffixes = target.family === "gcc" ? [target.ccName, "gcc"] : [target.ccName];
  const fromScript = resolveTool(prefix, activationValue(activation, "CC"));
  const candidates = [
    ...(fromScript ? [fromScript] : []),
    ...target.condaTriplets.flatMap((t) => ccSuffixes.map((s) => join(bin, `${t}-${s}`))),
  ];
  const found = candidates
    .map((path) => ({ path, triplet: target.condaTriplets.find((t) => basename(path).startsWith(`${t}-`)) }))
    .find((c) => c.triplet !== undefined && isExecutable(c.path));
  // Only a missing target reads how the env was made (conda-meta/history).
  const hint = () => installCommand(prefix, toolchainPackages(target));
  if (!found?.triplet) {
    const expected = join(bin, `${target.condaTriplets[0]}-${target.ccName}`);
    return { target: target.triplet, reason: `no C compiler for ${target.triplet}: ${expected} not found`, hint: hint() };
  }
  const { path: cc, triplet } = found;

  const tools = {} as Record<ToolField, string | null>;
  for (const [field, { variable, suffixes }] of Object.entries(toolNames(target)) as [ToolField, { variable: string; suffixes: string[] }][]) {
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
    family: target.family,
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

export function isMissing(result: LocatedToolchain | MissingTarget): result is MissingTarget {
  return "reason" in result;
}
