// Runs activation scripts the way `conda activate` does: sourced in order by one bash. The shell
// is clean (no CONDA_BUILD, a minimal PATH, stdin closed, a time limit) and CONDA_PREFIX is a
// scratch directory, so what a script writes at the prefix's root (a cross compiler's
// meson_cross_file.txt) lands there; its bin/ holds links to the prefix's programs, because older
// scripts refuse to set a compiler they cannot find there. Only this module spawns the shell.
// In conda-build's mode the scripts take their CONDA_BUILD=1 branch, as inside a build script:
// CONDA_PREFIX and BUILD_PREFIX are the scratch build prefix, PREFIX (the host) a second scratch
// directory, and SRC_DIR, PKG_NAME and PKG_VERSION stay as `${NAME}` references (only a build
// knows them; no Bazel action compiles under SRC_DIR's name).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { HOST_PREFIX_MARK, PREFIX_MARK, type ActivationScript } from "./activation-cache.js";

export const ACTIVATION_TIME_LIMIT_MS = 10_000;

// Positional parameters are cleared before sourcing: conda sources the scripts without arguments.
const PROGRAM = `log=$1; shift; scripts=("$@"); set --
i=0
for script in "\${scripts[@]}"; do
  . "$script" >"$log/$i" 2>&1 </dev/null
  i=$((i + 1))
done
env -0`;

/** What activation leaves set besides the shell's own bookkeeping and the backups of old values. */
const IGNORED = /^(_|SHLVL|PWD|OLDPWD|CONDA_BACKUP_.*)$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The variables conda-build sets before it activates the build prefix, for its branch. */
function condaBuildStart(scratch: string, host: string): Record<string, string> {
  return { CONDA_BUILD: "1", BUILD_PREFIX: scratch, PREFIX: host, SRC_DIR: "${SRC_DIR}", PKG_NAME: "${PKG_NAME}", PKG_VERSION: "${PKG_VERSION}" };
}

/** The variables the scripts export (changed from the clean start), PREFIX_MARK for the prefix
 * (and HOST_PREFIX_MARK for the host prefix when `condaBuild`). */
export async function runActivation(bash: string, prefix: string, scripts: readonly ActivationScript[], timeLimitMs = ACTIVATION_TIME_LIMIT_MS, condaBuild = false): Promise<Record<string, string>> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "conda-bazel-activate-")));
  try {
    const scratch = join(root, "prefix");
    const host = join(root, "host");
    const log = join(root, "log");
    mkdirSync(join(scratch, "bin"), { recursive: true });
    mkdirSync(host);
    mkdirSync(log);
    mirrorPrograms(join(prefix, "bin"), join(scratch, "bin"));
    const copies = scripts.map((s, i) => {
      mkdirSync(join(root, "scripts", String(i)), { recursive: true });
      const copy = join(root, "scripts", String(i), s.name);
      writeFileSync(copy, s.text);
      return copy;
    });
    const start: Record<string, string> = { PATH: "/usr/bin:/bin", CONDA_PREFIX: scratch, HOME: root, LC_ALL: "C", ...(condaBuild ? condaBuildStart(scratch, host) : {}) };
    const outcome = await runBash(bash, ["--noprofile", "--norc", "-c", PROGRAM, "conda-bazel", log, ...copies], start, timeLimitMs);
    const ran = readdirSync(log).length;
    const culprit = scripts[Math.max(0, ran - 1)]!;
    if (outcome.timedOut) fail(culprit, `did not finish within ${timeLimitMs / 1000} s`);
    for (let i = 0; i < ran; i++) {
      const error = /^ERROR\b.*$/m.exec(readFileSync(join(log, String(i)), "utf8"))?.[0];
      if (error) fail(scripts[i]!, `reported ${JSON.stringify(error.slice(0, 200))}`);
    }
    if (outcome.code !== 0 || ran !== scripts.length || outcome.stdout === "") fail(culprit, `ended the shell (exit status ${outcome.code ?? outcome.signal})`);
    const values: Record<string, string> = {};
    for (const entry of outcome.stdout.split("\0")) {
      const eq = entry.indexOf("=");
      const [name, value] = [entry.slice(0, eq), entry.slice(eq + 1)];
      if (eq <= 0 || !NAME.test(name) || IGNORED.test(name) || start[name] === value) continue;
      values[name] = value.replaceAll(scratch, PREFIX_MARK).replaceAll(host, HOST_PREFIX_MARK);
    }
    return values;
  } finally {
    // Links are removed, never followed.
    rmSync(root, { recursive: true, force: true });
  }
}

function fail(script: ActivationScript, what: string): never {
  throw new UsageError(`activation script ${script.path} ${what}`, "fix or remove it: conda-bazel runs it with bash as 'conda activate' does");
}

/** Links to every entry of the prefix's bin/ (none when it has none). */
function mirrorPrograms(bin: string, into: string): void {
  let names: string[];
  try {
    names = readdirSync(bin);
  } catch {
    return;
  }
  for (const name of names) symlinkSync(join(bin, name), join(into, name));
}

interface BashOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly timedOut: boolean;
}

/** Runs bash in its own process group, so a script's background or hanging children die with it. */
function runBash(bash: string, args: string[], env: Record<string, string>, timeLimitMs: number): Promise<BashOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(bash, args, { env, stdio: ["ignore", "pipe", "ignore"], detached: true });
    const chunks: Buffer[] = [];
    let timedOut = false;
    const killGroup = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeLimitMs);
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new UsageError(`cannot run ${bash}: ${error.message}`, "install bash: conda-bazel runs the env's activation scripts with it"));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, signal, stdout: Buffer.concat(chunks).toString("utf8"), timedOut });
    });
  });
}
