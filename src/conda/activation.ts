// What the activation scripts of one package set export, exactly as `conda activate` would give
// it: the scripts are run by bash (run-activation.ts), and what they export is remembered by the
// scripts' content (activation-cache.ts). conda-forge's scripts choose flags with templated
// if/elif chains and `${VAR:+ }` expansions; only a shell gets all of that right.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { activationKey, findBash, HOST_PREFIX_MARK, PREFIX_MARK, readActivationCache, writeActivationCache, type ActivationScript } from "./activation-cache.js";

export interface Activation {
  /** Variable -> value as the scripts export it, with PREFIX_MARK standing for the prefix. */
  readonly values: ReadonlyMap<string, string>;
  readonly prefix: string;
  /** conda-build's host prefix ($PREFIX), for values of the scripts' CONDA_BUILD=1 branch. */
  readonly hostPrefix?: string;
}

/** Where results are cached, and the PATH whose bash runs the scripts. */
export interface ActivationContext {
  readonly cacheDir: string;
  readonly path: string | undefined;
  /** Inside a conda-build: the host prefix; the scripts then run in their CONDA_BUILD=1 branch. */
  readonly hostPrefix?: string;
}

export const ACTIVATE_DIR = join("etc", "conda", "activate.d");

/** A script of an activation package is at most a few kilobytes. */
const MAX_SCRIPT_BYTES = 1024 * 1024;

/** go-activation's `activate-z61-go-cgo_<subdir>.sh`: exports GOOS/GOARCH, no compilers. */
export function isGoActivationScript(name: string): boolean {
  return /go-(no)?cgo_[^/]*\.sh$/.test(name);
}

/** Compiler activation scripts for `subdir`, in the order conda sources them (sorted). */
export function compilerActivationScripts(names: readonly string[], subdir: string): string[] {
  return names.filter((n) => n.startsWith("activate") && n.endsWith(`_${subdir}.sh`) && !isGoActivationScript(n)).sort();
}

export function listActivateDir(prefix: string): string[] {
  try {
    return readdirSync(join(prefix, ACTIVATE_DIR)).sort();
  } catch {
    return [];
  }
}

/** A script's text. Only a regular file is read (a FIFO would block, /dev/zero never ends). */
function readScript(prefix: string, name: string): ActivationScript {
  const path = join(prefix, ACTIVATE_DIR, name);
  const fix = "remove it or reinstall the package that installed it";
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UsageError(`cannot read activation script ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, fix);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`activation script ${path} is not a regular file`, fix);
    if (stat.size > MAX_SCRIPT_BYTES) throw new UsageError(`activation script ${path} is larger than ${MAX_SCRIPT_BYTES} bytes`, fix);
    // One byte more than fstat said, to see a file that grows while it is read.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > stat.size) throw new UsageError(`activation script ${path} changed while it was read`, fix);
    return { path, name, text: buffer.subarray(0, length).toString("utf8") };
  } finally {
    closeSync(fd);
  }
}

/** What sourcing `names` (in this order, in one clean shell) exports. */
export async function readActivation(prefix: string, names: readonly string[], context: ActivationContext): Promise<Activation> {
  const hostPrefix = context.hostPrefix;
  const condaBuild = hostPrefix !== undefined;
  if (names.length === 0) return { values: new Map(), prefix, hostPrefix };
  const scripts = names.map((name) => readScript(prefix, name));
  const bash = findBash(context.path);
  const key = activationKey(bash?.identity ?? "-", prefix, scripts, condaBuild);
  let values = readActivationCache(context.cacheDir, key);
  if (!values) {
    if (!bash) throw new UsageError(`no bash on PATH to run ${join(prefix, ACTIVATE_DIR)}/${names[0]}`, "install bash: conda-bazel runs activation scripts with it, as 'conda activate' does");
    const { runActivation } = await import("./run-activation.js");
    values = await runActivation(bash.path, prefix, scripts, undefined, condaBuild);
    writeActivationCache(context.cacheDir, key, values);
  }
  return { values: new Map(Object.entries(values)), prefix, hostPrefix };
}

/** `value` with the prefixes in place of their marks. */
function expand(activation: Activation, value: string): string {
  const expanded = value.replaceAll(PREFIX_MARK, activation.prefix);
  return activation.hostPrefix === undefined ? expanded : expanded.replaceAll(HOST_PREFIX_MARK, activation.hostPrefix);
}

/** A variable's value with the prefix in place, or undefined when no script sets it. */
export function activationValue(activation: Activation, name: string): string | undefined {
  const value = activation.values.get(name);
  return value === undefined ? undefined : expand(activation, value);
}

/** A flags variable as an argument array; split before the prefix goes in, so a prefix with
 * spaces stays one word. */
export function activationFlags(activation: Activation, name: string): string[] | undefined {
  const value = activation.values.get(name);
  return value === undefined ? undefined : splitFlags(value).map((f) => expand(activation, f));
}

/** Every exported variable, prefix in place. */
export function activationExports(activation: Activation): Record<string, string> {
  return Object.fromEntries([...activation.values.keys()].sort().map((k) => [k, activationValue(activation, k)!]));
}

export function splitFlags(value: string): string[] {
  return value.split(/\s+/).filter(Boolean);
}
