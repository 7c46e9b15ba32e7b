// `conda-bazel go-build`: cross-compile a Go package as a C shared library for several targets
// with the conda Go and conda compilers of a prefix.
import { availableParallelism, constants } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { statSync } from "node:fs";
import { isatty } from "node:tty";
import type { CommandArgs } from "../cli.js";
import { discoverEnvironment } from "../conda/discover.js";
import { resolvePrefix } from "../conda/prefix.js";
import { cacheDir } from "../cache-dir.js";
import { readConfigIfPresent } from "../conda/command-inputs.js";
import { installCommand } from "../conda/install-hint.js";
import { escapeControl, EXIT, hasControlCharacter, UsageError, WorkFailed } from "../errors.js";
import { headerName } from "../go/build-target.js";
import { asksForGoOutput, checkConfigArgs, parseExtraArgs } from "../go/command.js";
import { goBuild } from "../go/driver.js";
import { MANIFEST_FILE, renderManifest, writeManifest, type Manifest } from "../go/manifest.js";
import { checkOutDir, checkOutputPaths } from "../go/out-dir.js";
import { plainProgress, terminalProgress } from "../go/progress.js";
import { goWorkDir } from "../go/work-dir.js";
import { parseTargetList } from "../target-selection.js";
import { sharedLibraryName, targetByTriplet, TARGETS, type Target } from "../targets.js";
import { writeErr, writeOut } from "../output.js";

/** Caller settings that reach `go build`: how to fetch modules, and where temporary files go.
 * None of them changes what is built; everything else comes from the model. */
const PASSTHROUGH = ["GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOSUMDB", "GOINSECURE", "GOVCS", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "TMPDIR"];

/** Signals that stop a build: running `go build` process groups are ended, staging removed, the
 * manifest written, and go-build then dies of the same signal (exit status 128+N to a shell). */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** At most this many lines of a failed build's output go into the summary; the manifest has all. */
const SUMMARY_LINES = 30;

function passthroughEnv(): Record<string, string> {
  return Object.fromEntries(PASSTHROUGH.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}

/** Default: two jobs per core. A warm c-shared build spends most of its time in serial steps
 * (process start, cgo, the external link), so on 2 cores three builds at once finish sooner than
 * two at a time (cgo-cross.md §6: 3.8 s one by one, 2.5 s all at once). */
function parseJobs(value: string | number | undefined, targets: number): number {
  if (value === undefined) return Math.max(1, Math.min(targets, 2 * availableParallelism()));
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive whole number, not '${value}'`, "for example --jobs 2");
  return jobs;
}

/** Refuses a path go build could not be given: cgo and Go's quoted lists split on line breaks,
 * and init refuses the same paths. */
function refuseControl(path: string, what: string): void {
  if (hasControlCharacter(path)) throw new UsageError(`${what} ${path} contains a line break or another control character, which go build cannot be given`, "use a path without it");
}

function packageDirectory(path: string): string {
  const dir = resolve(path);
  refuseControl(dir, "the Go package directory");
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`Go package directory ${dir} does not exist`, "pass the directory of a Go main package as PACKAGE (default: the current directory)");
  }
  return dir;
}

function libraryName(name: string | undefined, packageDir: string): string {
  const chosen = name ?? basename(packageDir);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(chosen)) {
    throw new UsageError(`'${chosen}' cannot name a library`, "pass --name with letters, digits, '_', '.', '+' or '-' only");
  }
  return chosen;
}

/** Targets in the table's order, so outputs and the manifest do not depend on how they were typed. */
function inTableOrder(targets: readonly Target[]): Target[] {
  return [...targets].sort((a, b) => TARGETS.indexOf(a) - TARGETS.indexOf(b));
}

function summary(manifest: Manifest, outDir: string, goOutput: ReadonlyMap<string, string>): string {
  const failed = manifest.targets.filter((t) => t.status !== "ok");
  const lines: string[] = [];
  outDir = escapeControl(outDir);
  for (const entry of manifest.targets) {
    const output = goOutput.get(entry.target)?.split("\n").filter((line) => line.trim() !== "");
    if (output?.length) lines.push(`conda-bazel: go-build ${entry.target}: go build printed:`, ...output.map((l) => `  ${escapeControl(l)}`));
  }
  for (const entry of failed) {
    if (!entry.error) continue;
    lines.push(`conda-bazel: go-build ${entry.target} failed:`, `  $ ${escapeControl(entry.error.command)}`);
    const output = entry.error.output;
    if (output.length > SUMMARY_LINES) lines.push(`  ... ${output.length - SUMMARY_LINES} earlier lines in ${join(outDir, MANIFEST_FILE)}`);
    lines.push(...output.slice(-SUMMARY_LINES).map((l) => `  ${escapeControl(l)}`));
  }
  for (const entry of manifest.targets) {
    const library = join(outDir, entry.files[0]?.path ?? entry.target);
    for (const f of entry.check?.findings ?? []) lines.push(`conda-bazel: go-build ${entry.target}: ${library}: ${f.problem} (fix: ${f.fix})`);
  }
  const built = manifest.targets.length - failed.length;
  const findings = checkFindings(manifest);
  if (failed.length === 0 && findings > 0) lines.push(`conda-bazel: go-build: ${built} target${built === 1 ? "" : "s"} built into ${outDir}, with ${findings} check finding${findings === 1 ? "" : "s"}`);
  else if (failed.length === 0) lines.push(`conda-bazel: go-build: ${built} target${built === 1 ? "" : "s"} built into ${outDir}`);
  else lines.push(`conda-bazel: go-build: ${failed.length} of ${manifest.targets.length} targets failed: ${failed.map((t) => `${t.target} (${t.status})`).join(", ")}`);
  return `${lines.join("\n")}\n`;
}

/** How many problems `conda-bazel check` found in the libraries this run built. */
function checkFindings(manifest: Manifest): number {
  return manifest.targets.reduce((n, t) => n + (t.check?.findings.length ?? 0), 0);
}

/** The files go-build replaces in the output directory, relative to it. */
function outputFiles(targets: readonly Target[], name: string): string[] {
  return [MANIFEST_FILE, ...targets.flatMap((t) => [sharedLibraryName(t, name), headerName(sharedLibraryName(t, name))].map((f) => `${t.triplet}/${f}`))];
}

/** Catches STOP_SIGNALS until `close`: the first aborts `signal` and is remembered. */
function stopOnSignals(): { readonly signal: AbortSignal; readonly received: () => NodeJS.Signals | undefined; readonly close: () => void } {
  const abort = new AbortController();
  let received: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    received ??= signal;
    abort.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  return { signal: abort.signal, received: () => received, close: () => STOP_SIGNALS.forEach((signal) => process.off(signal, stop)) };
}

export async function run(args: CommandArgs): Promise<number> {
  const flag = (name: string) => args.values[name] as string | undefined;
  const config = await readConfigIfPresent(process.cwd(), flag("config"));
  const options = config.goBuild ?? {};
  const packageArg = args.positionals[0] ?? options.package ?? ".";
  const packageDir = packageDirectory(packageArg);
  const name = libraryName(flag("name") ?? options.name, packageDir);
  const outDir = resolve(flag("out") ?? options.out ?? "dist");
  refuseControl(outDir, "the output directory");
  checkOutDir(outDir, process.cwd(), flag("out") === undefined && options.out !== undefined);
  if (args.passthrough.length === 0 && options.args) checkConfigArgs(options.args);
  const extra = parseExtraArgs(args.passthrough.length > 0 ? args.passthrough : (options.args ?? []));
  const requested = parseTargetList((args.values.target as string[] | undefined) ?? config.targets);
  const prefix = resolvePrefix(flag("prefix"), config.prefix);
  refuseControl(prefix, "the conda prefix");

  const env = await discoverEnvironment({ prefix, ...(requested ? { targets: requested } : {}) });
  // Without --target: every target the env has a compiler for; one it lacks (its own platform's,
  // in an env of cross compilers only) is named and left out rather than failing the run.
  const targets = inTableOrder(requested ?? env.toolchains.map((t) => targetByTriplet(t.target)));
  if (targets.length === 0) {
    const missing = env.missing[0];
    if (missing) throw new UsageError(missing.reason, missing.hint);
    throw new UsageError(`no C compiler for any target in ${prefix}`, installCommand(prefix, [TARGETS[0]!.compilerPackages[0]!]));
  }
  if (!requested) {
    for (const m of env.missing) writeErr(`conda-bazel: go-build: skipping ${m.target}: ${escapeControl(m.reason)} (${escapeControl(m.hint)})\n`);
  }
  const jobs = parseJobs(flag("jobs") ?? options.jobs, targets.length);
  const failFast = Boolean(args.values["fail-fast"] ?? options.failFast);
  checkOutputPaths(outDir, outputFiles(targets, name));
  const cache = join(cacheDir(), "go");
  const gotmp = goWorkDir(packageDir, join(cache, "tmp"));

  const goOutput = new Map<string, string>();
  const progress = isatty(2) && !args.values.json ? terminalProgress(targets.map((t) => t.triplet), writeErr) : plainProgress(writeErr);
  const stop = stopOnSignals();
  let text: string;
  let manifest: Manifest;
  try {
    manifest = await goBuild(
      {
        env,
        targets,
        packageDir,
        packageLabel: relative(process.cwd(), packageDir) || ".",
        outDir,
        name,
        jobs,
        failFast,
        extra,
        dirs: { gocache: join(cache, "build"), gopath: join(cache, "path"), home: cache, gotmp },
        passthrough: passthroughEnv(),
        ...(asksForGoOutput(extra) ? { goOutput: (target: string, output: string) => void goOutput.set(target, output) } : {}),
        signal: stop.signal,
      },
      progress.update,
    );
    text = renderManifest(manifest);
    await writeManifest(outDir, text);
  } finally {
    progress.close();
    stop.close();
  }
  const received = stop.received();
  if (received) {
    writeErr(`conda-bazel: go-build: interrupted by ${received}; builds stopped, earlier libraries kept (see ${escapeControl(join(outDir, MANIFEST_FILE))})\n`);
    // Dying of the signal, not exiting with a code, tells a calling shell or make to stop too.
    process.kill(process.pid, received);
    return 128 + constants.signals[received];
  }
  if (args.values.json) writeOut(text);
  writeErr(summary(manifest, outDir, goOutput));
  // A library built for the wrong machine or with a build path in its RPATH fails the run too:
  // it is in place and listed, but not fit to ship.
  if (manifest.targets.some((t) => t.status !== "ok") || checkFindings(manifest) > 0) throw new WorkFailed("go-build failed", true);
  return EXIT.ok;
}
