// What the compiler activation scripts of one target would set in an interactive shell:
// tool names (CC, CXX, AR...) and default flags, `${CONDA_PREFIX}` expanded to the prefix.
// conda-forge bakes triplets and flags into the installed scripts as literal text
// (activate-gcc_<subdir>.sh, activate-gxx_<subdir>.sh, activate-binutils_<subdir>.sh), so
// reading them gives the exact flags of the installed compiler version.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { scanScript } from "./shell-script.js";

export interface Activation {
  /** Variable -> value as the scripts set it, with PREFIX_MARK standing for the prefix. */
  readonly values: ReadonlyMap<string, string>;
  readonly prefix: string;
}

// Flags are split into words before the prefix goes in, so a prefix with spaces stays one word.
const PREFIX_MARK = "\u0000CONDA_PREFIX\u0000";

export const ACTIVATE_DIR = join("etc", "conda", "activate.d");

/** go-activation's `activate-z61-go-cgo_<subdir>.sh`: exports GOOS/GOARCH, no compilers. */
export function isGoActivationScript(name: string): boolean {
  return /go-(no)?cgo_[^/]*\.sh$/.test(name);
}

/** Compiler activation scripts for `subdir`, in the order conda sources them. */
export function compilerActivationScripts(names: readonly string[], subdir: string): string[] {
  return names.filter((n) => n.startsWith("activate") && n.endsWith(`_${subdir}.sh`) && !isGoActivationScript(n)).sort();
}

export function readScript(prefix: string, name: string): string {
  return readFileSync(join(prefix, ACTIVATE_DIR, name), "utf8");
}

export function listActivateDir(prefix: string): string[] {
  try {
    return readdirSync(join(prefix, ACTIVATE_DIR)).sort();
  } catch {
    return [];
  }
}

export function readActivation(prefix: string, scriptNames: readonly string[]): Activation {
  const values = new Map<string, string>();
  for (const name of scriptNames) {
    const scanned = scanScript(readScript(prefix, name), { CONDA_PREFIX: PREFIX_MARK });
    for (const args of scanned.activationCalls) for (const [k, v] of activationPairs(args, PREFIX_MARK)) values.set(k, v);
  }
  return { values, prefix };
}

/**
 * Interprets `_tc_activation` arguments. Three generations exist: `activate HOST <machine>
 * <prefix>- prog... NAME,value...` (gcc), `activate <prefix>- NAME,value... prog...` (g++),
 * and only `NAME,value` pairs (binutils). A bare program `c++` means
 * `CXX=${CONDA_PREFIX}/bin/<prefix>c++` (the scripts map names with `tr 'a-z+-' 'A-ZX_'`).
 */
function activationPairs(args: readonly string[], prefix: string): [string, string][] {
  const rest = [...args];
  if (rest[0] === "deactivate") return [];
  if (rest[0] === "activate") rest.shift();
  const prefixAt = rest.findIndex((a) => !a.includes(",") && a.endsWith("-"));
  const toolPrefix = prefixAt === -1 ? "" : rest[prefixAt]!;
  const things = prefixAt === -1 ? rest : rest.slice(prefixAt + 1);
  return things.map((thing): [string, string] => {
    const comma = thing.indexOf(",");
    if (comma !== -1) return [thing.slice(0, comma), thing.slice(comma + 1)];
    const name = thing.toUpperCase().replace(/\+/g, "X").replace(/-/g, "_");
    return [name, join(prefix, "bin", `${toolPrefix}${thing}`)];
  });
}

/** A variable's value with the prefix in place, or undefined when no script sets it. */
export function activationValue(activation: Activation, name: string): string | undefined {
  return activation.values.get(name)?.replaceAll(PREFIX_MARK, activation.prefix);
}

/** A flags variable as an argument array. */
export function activationFlags(activation: Activation, name: string): string[] | undefined {
  const value = activation.values.get(name);
  return value === undefined ? undefined : splitFlags(value).map((f) => f.replaceAll(PREFIX_MARK, activation.prefix));
}

export function splitFlags(value: string): string[] {
  return value.split(/\s+/).filter(Boolean);
}
