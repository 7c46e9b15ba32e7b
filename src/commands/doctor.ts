// `conda-bazel doctor`: per target what is found and what is missing (with the install line),
// and the known traps of conda + cgo + Bazel, each on one line with its fix. Exit 1 on a problem.
import { basename, join, relative } from "node:path";
import type { CommandArgs } from "../cli.js";
import { ACTIVATE_DIR, activationExports, isGoActivationScript, listActivateDir, readActivation } from "../conda/activation.js";
import { cacheDir } from "../cache-dir.js";
import { commandInputs } from "../conda/command-inputs.js";
import { discoverEnvironment } from "../conda/discover.js";
import { installCommand, managerCommand, shellQuote, toolchainPackages } from "../conda/install-hint.js";
import { toolPath } from "../conda/toolchain.js";
import type { Environment } from "../environment.js";
import { EXIT } from "../errors.js";
import { targetByTriplet, targetForSubdir, TARGETS, type Target } from "../targets.js";
import { writeOut } from "../output.js";

export interface Finding {
  readonly level: "ok" | "missing" | "problem" | "warning";
  readonly text: string;
}

export async function run(args: CommandArgs): Promise<number> {
  const { prefix, targets } = await commandInputs(args);
  const env = await discoverEnvironment({ prefix, targets });
  const context = { cacheDir: cacheDir(process.env), path: process.env.PATH };
  // Each go-activation package on its own, to name the one to remove.
  const goActivations = await Promise.all(
    listActivateDir(prefix)
      .filter(isGoActivationScript)
      .map(async (script) => ({ script, exports: activationExports(await readActivation(prefix, [script], context)) })),
  );
  const findings = examine(env, process.env, goActivations);
  const width = Math.max(...findings.map((f) => f.level.length));
  writeOut(findings.map((f) => `${f.level.padEnd(width)}  ${f.text}\n`).join(""));
  const problems = findings.filter((f) => f.level === "missing" || f.level === "problem").length;
  writeOut(problems === 0 ? "no problems found\n" : `${problems} problem${problems === 1 ? "" : "s"} found\n`);
  return problems === 0 ? EXIT.ok : EXIT.failed;
}

function architecture(triplet: string): string {
  return triplet.split("-")[0]!;
}

export interface GoActivation {
  /** File name in etc/conda/activate.d. */
  readonly script: string;
  readonly exports: Readonly<Record<string, string>>;
}

const GO_TRAP_VARIABLES = ["GOOS", "GOARCH", "CGO_ENABLED", "GOFLAGS"];

/** The target whose conda compiler `path` is, by its file name. */
function compilerTarget(path: string): Target | undefined {
  const name = basename(path);
  return TARGETS.find((t) => t.condaTriplets.some((triplet) => name.startsWith(`${triplet}-`)));
}

export function examine(env: Environment, callerEnv: NodeJS.ProcessEnv, goActivations: readonly GoActivation[]): Finding[] {
  const findings: Finding[] = [];
  const inPrefix = (path: string) => !relative(env.prefix, path).startsWith("..");
  const own = targetForSubdir(env.subdir);
  // conda's Go (in <prefix>/go) appends --no-gc-sections when cgo takes LDFLAGS (go-feedstock patch 0003).
  const condaGo = env.go?.goroot === join(env.prefix, "go");
  for (const t of env.toolchains) {
    findings.push({ level: "ok", text: `${t.target}: ${t.family} ${t.version} ${t.cc} (flags: ${t.flagsSource})` });
    const target = targetByTriplet(t.target);
    // A driver for the wrong architecture fails later with assembler errors or wrong binaries.
    if (architecture(t.machine) !== architecture(t.condaTriplet)) {
      findings.push({
        level: "problem",
        text: `${t.target}: ${t.cc} compiles for ${t.machine}, not ${t.condaTriplet} (fix: ${managerCommand(env.prefix, "reinstall", toolchainPackages(target, t.family))})`,
      });
    }
    if (t.family === "gcc" && t.sysroot === null) {
      findings.push({
        level: "problem",
        text: `${t.target}: no sysroot at ${join(env.prefix, t.condaTriplet, "sysroot")}: the compiler falls back to the host's libc (fix: ${installCommand(env.prefix, [target.stdlibPackage])})`,
      });
    }
    if (t.ldflags.includes("-Wl,--gc-sections")) {
      const goLinks = condaGo && target.goos === "linux" ? "conda's Go in this env adds -Wl,--no-gc-sections when cgo falls back to LDFLAGS, so only" : "plain go build or";
      findings.push({
        level: "warning",
        text: `${t.target}: LDFLAGS contain -Wl,--gc-sections, which breaks cgo links; conda-bazel go-build drops it, ${goLinks} a CGO_LDFLAGS of your own needs -Wl,--no-gc-sections`,
      });
    }
  }
  for (const m of env.missing) findings.push({ level: m.broken ? "problem" : "missing", text: `${m.target}: ${m.reason} (fix: ${m.hint})` });

  for (const name of ["CC", "CXX"]) {
    const value = callerEnv[name];
    if (!value) continue;
    const path = toolPath(env.prefix, value);
    const other = compilerTarget(path);
    if (own && other && other !== own && inPrefix(path)) {
      const ownTool = env.toolchains.find((t) => t.target === own.triplet)?.[name === "CC" ? "cc" : "cxx"] ?? `${own.condaTriplets[0]}-${name === "CC" ? own.ccName : own.cxxName}`;
      findings.push({
        level: "problem",
        text: `${name}=${value} in your shell is the ${other.triplet} compiler, not the env's own (${own.triplet}): activating several gcc_<subdir> packages leaves the last one's ${name} and every target's CFLAGS/LDFLAGS set (fix: export ${name}=${shellQuote(ownTool)} and unset CFLAGS CXXFLAGS CPPFLAGS LDFLAGS; conda-bazel gives each target its own)`,
      });
    } else if (!inPrefix(path) || !env.toolchains.some((t) => t.cc === path || t.cxx === path)) {
      findings.push({
        level: "problem",
        text: `${name}=${value} in your environment is not a compiler of ${env.prefix}: builds that honour ${name} (go build, make) use it instead of the conda compiler (fix: unset ${name}, or activate the env again)`,
      });
    }
  }

  if (env.go === null) {
    findings.push({ level: "warning", text: `no Go in the prefix: go-build needs it (fix: ${installCommand(env.prefix, ["go-cgo"])})` });
  } else if (env.go.variant === "nocgo") {
    findings.push({
      level: "warning",
      text: "Go is the go-nocgo variant: plain go build has cgo off and no C compiler; conda-bazel go-build turns cgo on with each target's compiler (with plain go build set CGO_ENABLED=1 and CC)",
    });
  }
  for (const { script, exports } of goActivations) {
    const exported = GO_TRAP_VARIABLES.flatMap((k) => (exports[k] === undefined ? [] : [[k, exports[k]] as const]));
    if (exported.length === 0) continue;
    const where = join(ACTIVATE_DIR, script);
    const shown = exported.map(([k, v]) => `${k}=${v}`).join(" ");
    const foreign = (exports.GOOS !== undefined && exports.GOOS !== own?.goos) || (exports.GOARCH !== undefined && exports.GOARCH !== own?.goarch);
    if (foreign) {
      const pkg = script.replace(/^activate-z\d+-/, "").replace(/\.sh$/, "");
      findings.push({
        level: "problem",
        text: `${where} exports ${shown} on activation and never restores them: host go run/go generate then build for the wrong platform (fix: ${managerCommand(env.prefix, "remove", [pkg])}, or unset ${exported.map(([k]) => k).join(" ")} after activating)`,
      });
      continue;
    }
    // The env's own GOOS/GOARCH change nothing; these defaults do change plain go builds.
    const effects = [
      ...(/(^|\s)-buildmode=pie(\s|$)/.test(exports.GOFLAGS ?? "") ? ["every go build without -buildmode makes a PIE"] : []),
      ...(exports.CGO_ENABLED === "0" ? ["cgo is off"] : []),
    ];
    if (effects.length > 0) {
      findings.push({ level: "warning", text: `${where} exports ${shown}: in the activated shell ${effects.join(" and ")} (conda-bazel go-build sets these itself)` });
    }
  }
  return findings;
}
