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

export function runProcess(file: string, args: readonly string[], options: { cwd: string; env: Readonly<Record<string, string>>; signal: AbortSignal }): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], signal: options.signal });
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    let failure = "";
    child.on("error", (error) => {
      if (!options.signal.aborted) failure = `cannot run ${file}: ${error.message}\n`;
    });
    child.on("close", (code) => {
      resolve({ exitCode: code, output: `${Buffer.concat(chunks).toString("utf8")}${failure}`, cancelled: options.signal.aborted && code !== 0 });
    });
  });
}
