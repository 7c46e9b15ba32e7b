// Runs one program with an argument array (never a shell) and an exact environment, collecting
// its stdout and stderr interleaved as the user would have seen them. node:child_process rather
// than execa: importing execa costs 120-450 ms here, most of a warm go-build's own overhead.
import { spawn } from "node:child_process";

export interface ProcessResult {
  /** Null when the program could not start or was killed. */
  readonly exitCode: number | null;
  readonly output: string;
  readonly cancelled: boolean;
}

/** How long a cancelled program and its children get to exit on SIGTERM before SIGKILL. */
const GRACE_MS = 3000;

/** Signals the program's whole process group: `go build` runs compile, cgo, the C compiler and
 * the linker as children, which outlive a `go` killed alone. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Runs `file` in a process group of its own; an abort of `signal` ends the group. */
export function runProcess(file: string, args: readonly string[], options: { cwd: string; env: Readonly<Record<string, string>>; signal: AbortSignal }): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let force: NodeJS.Timeout | undefined;
    const cancel = () => {
      signalGroup(child.pid, "SIGTERM");
      force = setTimeout(() => signalGroup(child.pid, "SIGKILL"), GRACE_MS).unref();
    };
    if (options.signal.aborted) cancel();
    else options.signal.addEventListener("abort", cancel, { once: true });
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    let failure = "";
    child.on("error", (error) => {
      if (!options.signal.aborted) failure = `cannot run ${file}: ${error.message}\n`;
    });
    child.on("close", (code) => {
      options.signal.removeEventListener("abort", cancel);
      clearTimeout(force);
      // A child that ignored SIGTERM may still hold the group after go itself has gone.
      if (options.signal.aborted) signalGroup(child.pid, "SIGKILL");
      resolve({ exitCode: code, output: `${Buffer.concat(chunks).toString("utf8")}${failure}`, cancelled: options.signal.aborted && code !== 0 });
    });
  });
}
