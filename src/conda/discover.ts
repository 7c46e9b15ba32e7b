// Reads a conda prefix into an Environment: records (names, and a few small bodies), bin/,
// sysroots, activation scripts, and one probe per compiler (cached by the compiler's identity).
import { join } from "node:path";
import type { Environment, MissingTarget, Toolchain } from "../environment.js";
import { UsageError } from "../errors.js";
import { compilerFamilies, hostSubdir, targetForSubdir, TARGETS, type CompilerFamily, type Target } from "../targets.js";
import { activationValue, compilerActivationScripts, listActivateDir, readActivation, type ActivationContext } from "./activation.js";
import { parsePinned, PINNED_COMPILERS, preferredFamily, scriptFamily } from "./compiler-choice.js";
import { discoverGo } from "./go.js";
import { managerCommand, toolchainPackages } from "./install-hint.js";
import { cacheDir as defaultCacheDir } from "../cache-dir.js";
import type { CompilerFacts } from "./probe.js";
import { probeIdentity, readProbe, writeProbe } from "./probe-cache.js";
import { readRegularFile } from "./regular-file.js";
import { discoverPackages } from "./packages.js";
import { discoverPython } from "./python.js";
import { findRecord, listRecords, majoritySubdir, recordsFingerprint } from "./records.js";
import { chooseCompiler, isMissing, locateToolchain, type LocatedToolchain } from "./toolchain.js";
import { validateEnvironment } from "./validate.js";
import { describeHost } from "./host.js";

export interface DiscoverOptions {
  /** An existing conda prefix (see resolvePrefix). */
  readonly prefix: string;
  /** Targets to report; default: the env's own platform plus every target it has a compiler for. */
  readonly targets?: readonly Target[];
  readonly env?: NodeJS.ProcessEnv;
  /** conda-build's host prefix ($PREFIX): `prefix` is then the build prefix, whose activation
   * runs in its CONDA_BUILD=1 branch (flags naming the host), and the host env is described too. */
  readonly hostPrefix?: string;
  /** --compiler: the family for every target that has it (the others keep theirs). */
  readonly compiler?: CompilerFamily;
  /** describe's packages with C/C++ content: only it reports them, and finding them reads and
   * checks what every record lists, which no other command needs. */
  readonly packages?: boolean;
}

export async function discoverEnvironment(options: DiscoverOptions): Promise<Environment> {
  const { prefix } = options;
  const env = options.env ?? process.env;
  const records = listRecords(prefix);
  const activateDir = listActivateDir(prefix);
  const cacheDir = defaultCacheDir(env);
  const context: ActivationContext = { cacheDir, path: env.PATH, ...(options.hostPrefix === undefined ? {} : { hostPrefix: options.hostPrefix }) };
  const pinned = parsePinned(env[PINNED_COMPILERS]);
  /** The target's activation, the family chosen with it, then only that family's scripts (and
   * the shared binutils ones), so CC, CXX and the flags are the chosen compiler's. */
  const locateWithChoice = async (t: Target): Promise<LocatedToolchain | MissingTarget> => {
    const scripts = compilerActivationScripts(activateDir, t.subdir);
    const all = await readActivation(prefix, scripts, context);
    const explicit = options.compiler && compilerFamilies(t).some((n) => n.family === options.compiler) ? options.compiler : pinned.get(t.triplet);
    const choice = chooseCompiler(prefix, t, preferredFamily(t, explicit, env, activationValue(all, "CC")));
    if (isMissing(choice)) return choice;
    const own = scripts.filter((name) => (scriptFamily(name) ?? choice.names.family) === choice.names.family);
    return locateToolchain(prefix, t, own.length === scripts.length ? all : await readActivation(prefix, own, context), choice);
  };
  // Each target's scripts run in a shell of their own, only when the target is looked at.
  const located = new Map<Target, Promise<LocatedToolchain | MissingTarget>>();
  const locate = (t: Target) => {
    let found = located.get(t);
    if (!found) {
      found = locateWithChoice(t);
      located.set(t, found);
    }
    return found;
  };

  const subdir = condarcSubdir(prefix) ?? majoritySubdir(prefix, records) ?? (await subdirFromCompilers(locate));
  const own = targetForSubdir(subdir);
  const wanted = options.targets ?? (await Promise.all(TARGETS.map(async (t) => (t === own || !isMissing(await locate(t)) ? [t] : [])))).flat();

  const fingerprint = recordsFingerprint(records);
  const toolchain = async (t: Target): Promise<Toolchain | MissingTarget> => {
    const found = await locate(t);
    if (isMissing(found)) return found;
    try {
      const stdlibVersion = findRecord(records, t.stdlibPackage)?.version ?? null;
      // In the schema's key order, which lets validation's cache return the document itself.
      const { cflags, cxxflags, cppflags, ldflags, flagsSource, ...tools } = found;
      return { ...tools, stdlibVersion, ...(await probe(cacheDir, found, fingerprint)), cflags, cxxflags, cppflags, ldflags, flagsSource };
    } catch (error) {
      if (!(error instanceof (await import("./probe.js")).ProbeFailed)) throw error;
      return {
        target: t.triplet,
        reason: `the ${t.triplet} compiler does not run: ${error.message}`,
        hint: `reinstall it: ${managerCommand(prefix, "reinstall", toolchainPackages(t, found.family))}`,
        broken: true,
      };
    }
  };
  // Probes and the Python's report (on a cold cache) and `go env` (for a Go without VERSION file)
  // run side by side.
  const [go, results, python] = await Promise.all([discoverGo(prefix, records, activateDir, context), Promise.all(wanted.map(toolchain)), discoverPython(prefix, records, { cacheDir, fingerprint })]);
  const document = {
    schemaVersion: 1,
    prefix,
    subdir,
    fingerprint,
    python,
    go,
    toolchains: results.filter((r): r is Toolchain => !isMissing(r)),
    missing: results.filter(isMissing),
    ...(options.packages ? discoverPackages(prefix, records, cacheDir) : {}),
    ...(options.hostPrefix === undefined ? {} : { host: await describeHost(options.hostPrefix, cacheDir) }),
  };
  return validateEnvironment(document, cacheDir);
}

async function probe(cacheDir: string, { family, cc, cxx }: LocatedToolchain, fingerprint: string): Promise<CompilerFacts> {
  const identity = probeIdentity(cc, cxx, fingerprint);
  const cached = identity ? readProbe(cacheDir, identity) : undefined;
  if (cached) return cached;
  // Only a cache miss runs compilers, and only then is the probe code (and execa) loaded.
  const { probeCompiler } = await import("./probe.js");
  const facts = await probeCompiler(family, cc, cxx);
  if (identity) writeProbe(cacheDir, identity, facts);
  return facts;
}

/** A prefix's .condarc holds a few settings; anything larger is not one. */
const MAX_CONDARC_BYTES = 256 * 1024;

/** `conda create --platform X` records X in the prefix's own .condarc. A one-line regex keeps
 * a YAML parser off the hot path; the key is always written flat. A .condarc that cannot be
 * opened says nothing; one that is not a regular file is refused (readRegularFile). */
export function condarcSubdir(prefix: string): string | undefined {
  let text: string;
  try {
    text = readRegularFile(join(prefix, ".condarc"), MAX_CONDARC_BYTES, "the prefix's .condarc").toString("utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return undefined;
  }
  return /^subdir:\s*["']?([a-z0-9]+-[a-z0-9_]+)["']?\s*(#.*)?$/m.exec(text)?.[1];
}

/** Compilers run on the env's machine: the host's own target if it has one, else the first found. */
async function subdirFromCompilers(locate: (t: Target) => Promise<LocatedToolchain | MissingTarget>): Promise<string> {
  const host = hostSubdir();
  const hostTarget = host ? targetForSubdir(host) : undefined;
  if (host && (!hostTarget || !isMissing(await locate(hostTarget)))) return host;
  for (const t of TARGETS) if (!isMissing(await locate(t))) return t.subdir;
  return host ?? TARGETS[0]!.subdir;
}
