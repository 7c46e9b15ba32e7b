// `conda-bazel doctor`: per target what is found and what is missing (with the install line),
// and the known traps of conda + cgo + Bazel, each on one line with its fix. Exit 1 on a problem.
import { join, relative } from "node:path";
import type { CommandArgs } from "../cli.js";
import { ACTIVATE_DIR, isGoActivationScript, listActivateDir, readScript } from "../conda/activation.js";
import { commandInputs } from "../conda/command-inputs.js";
import { discoverEnvironment } from "../conda/discover.js";
import { installCommand, shellQuote, toolchainPackages } from "../conda/install-hint.js";
import { scanScript } from "../conda/shell-script.js";
import { toolPath } from "../conda/toolchain.js";
import type { Environment } from "../environment.js";
import { EXIT } from "../errors.js";
import { targetByTriplet } from "../targets.js";

export interface Finding {
  readonly level: "ok" | "missing" | "problem" | "warning";
  readonly text: string;
}

export async function run(args: CommandArgs): Promise<number> {
  const { prefix, targets } = await commandInputs(args);
  const env = await discoverEnvironment({ prefix, targets });
  const findings = examine(env, process.env);
  const width = Math.max(...findings.map((f) => f.level.length));
  process.stdout.write(findings.map((f) => `${f.level.padEnd(width)}  ${f.text}\n`).join(""));
  const problems = findings.filter((f) => f.level === "missing" || f.level === "problem").length;
  process.stdout.write(problems === 0 ? "no problems found\n" : `${problems} problem${problems === 1 ? "" : "s"} found\n`);
  return problems === 0 ? EXIT.ok : EXIT.failed;
}

function architecture(triplet: string): string {
  return triplet.split("-")[0]!;
}

const GO_TRAP_VARIABLES = ["GOOS", "GOARCH", "CGO_ENABLED", "GOFLAGS"];

export function examine(env: Environment, callerEnv: NodeJS.ProcessEnv): Finding[] {
  const findings: Finding[] = [];
  const inPrefix = (path: string) => !relative(env.prefix, path).startsWith("..");
  for (const t of env.toolchains) {
    findings.push({ level: "ok", text: `${t.target}: ${t.family} ${t.version} ${t.cc} (flags: ${t.flagsSource})` });
    const target = targetByTriplet(t.target);
    // A driver for the wrong architecture fails later with assembler errors or wrong binaries.
    if (architecture(t.machine) !== architecture(t.condaTriplet)) {
      findings.push({
        level: "problem",
        text: `${t.target}: ${t.cc} compiles for ${t.machine}, not ${t.condaTriplet} (fix: ${installCommand(env.prefix, ["--force-reinstall", ...toolchainPackages(target)])})`,
      });
    }
    if (t.family === "gcc" && t.sysroot === null) {
      findings.push({
        level: "problem",
        text: `${t.target}: no sysroot at ${join(env.prefix, t.condaTriplet, "sysroot")}: the compiler falls back to the host's libc (fix: ${installCommand(env.prefix, [target.stdlibPackage])})`,
      });
    }
    if (t.ldflags.includes("-Wl,--gc-sections")) {
      findings.push({
        level: "warning",
        text: `${t.target}: LDFLAGS contain -Wl,--gc-sections, which breaks cgo links (conda-bazel go-build drops it; with plain go build add -Wl,--no-gc-sections to CGO_LDFLAGS)`,
      });
    }
  }
  for (const m of env.missing) findings.push({ level: "missing", text: `${m.target}: ${m.reason} (fix: ${m.hint})` });

  for (const name of ["CC", "CXX"]) {
    const value = callerEnv[name];
    if (!value) continue;
    const path = toolPath(env.prefix, value);
    if (!inPrefix(path) || !env.toolchains.some((t) => t.cc === path || t.cxx === path)) {
      findings.push({
        level: "problem",
        text: `${name}=${value} in your environment is not a compiler of ${env.prefix}: builds that honour ${name} (go build, make) use it instead of the conda compiler (fix: unset ${name}, or activate the env again)`,
      });
    }
  }

  if (env.go === null) {
    findings.push({ level: "warning", text: `no Go in the prefix: go-build needs it (fix: ${installCommand(env.prefix, ["go-cgo"])})` });
  } else if (env.go.variant === "nocgo") {
    findings.push({ level: "problem", text: `Go is the nocgo variant: cgo and -buildmode=c-shared are impossible (fix: ${installCommand(env.prefix, ["go-cgo"])})` });
  }
  for (const script of listActivateDir(env.prefix).filter(isGoActivationScript)) {
    const exported = [...scanScript(readScript(env.prefix, script), { CONDA_PREFIX: env.prefix }).exports].filter(([k]) => GO_TRAP_VARIABLES.includes(k));
    if (exported.length === 0) continue;
    const pkg = script.replace(/^activate-z\d+-/, "").replace(/\.sh$/, "");
    findings.push({
      level: "problem",
      text: `${join(ACTIVATE_DIR, script)} exports ${exported.map(([k, v]) => `${k}=${v}`).join(" ")} on activation and never restores them: host go run/go generate then build for the wrong platform (fix: conda remove -p ${shellQuote(env.prefix)} ${pkg}, or unset ${exported.map(([k]) => k).join(" ")} after activating)`,
    });
  }
  return findings;
}
