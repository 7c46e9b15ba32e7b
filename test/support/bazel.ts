// Runs the real Bazel 4.2.3 offline: the --override_repository flags of bazel-offline.mjs
// (Debian's rules_java and @platforms, and the rules_cc and rules_python stand-ins that forward to
// Bazel 4.2.3's built-ins), each workspace with its own output root and a lean JVM, shut down after.
import { execa } from "execa";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { LEAN_JVM_FLAGS, offlineRepositories as offline, processCounts as counts } from "./bazel-offline.mjs";
import { sharedCacheDir } from "./shared-caches.js";

/** Fails (never skips) a real-tool test when Bazel is not installed. */
export function requireBazel(): void {
  if (!existsSync("/usr/bin/bazel")) throw new Error("bazel is not installed (apt-get install bazel-bootstrap); npm test installs it");
}

/** Writes the rules_cc and rules_python stand-ins under `dir`; returns the --override_repository flags. */
export const offlineRepositories: (dir: string) => string[] = offline;

/** The process summary of a build: `{ "remote cache hit": 4, "linux-sandbox": 1, internal: 5 }`. */
export const processCounts: (stderr: string) => Record<string, number> = counts;

export interface BazelResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface BazelOptions {
  /** The environment Bazel runs in (default: this process's PATH and HOME, and the run's cache directory). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A --disk_cache for every command that builds or analyses (test/support/shared-caches.ts). */
  readonly diskCache?: string;
  /** Startup options after the lean JVM's (a server started with others restarts). */
  readonly startup?: readonly string[];
}

/** The commands that take build options, and so --disk_cache. */
const BUILDING_COMMANDS = new Set(["build", "test", "run", "aquery", "cquery"]);

/** The startup options of every test's Bazel server (bazel-offline.mjs says why). */
export const leanJvmFlags: readonly string[] = LEAN_JVM_FLAGS;

/** Bazel for one workspace, with its own output root, the lean JVM and the offline repository overrides. */
export class Bazel {
  readonly env: Readonly<Record<string, string | undefined>>;
  private outputBasePath: string | undefined;

  constructor(
    readonly workspace: string,
    readonly outputUserRoot: string,
    /** The --override_repository flags of offlineRepositories. */
    readonly offlineFlags: readonly string[],
    private readonly options: BazelOptions = {},
  ) {
    // The repository rule's callout caches its compiler probes in the run's cache directory, not
    // in the user's ~/.cache/conda-bazel, where each run left files named by its temp paths.
    this.env = options.env ?? { PATH: process.env.PATH, HOME: process.env.HOME, CONDA_BAZEL_CACHE_DIR: sharedCacheDir() };
  }

  /** `bazel <command> <offline flags> <args>`; never throws on a failed build. */
  async run(command: string, args: readonly string[] = []): Promise<BazelResult> {
    const diskCache = this.options.diskCache && BUILDING_COMMANDS.has(command) ? [`--disk_cache=${this.options.diskCache}`] : [];
    const startup = [`--output_user_root=${this.outputUserRoot}`, ...leanJvmFlags, ...(this.options.startup ?? [])];
    const result = await execa("bazel", [...startup, command, ...this.offlineFlags, ...diskCache, ...args], {
      cwd: this.workspace,
      env: this.env,
      extendEnv: false,
      reject: false,
    });
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  /** Like run, but a non-zero exit is an error carrying Bazel's output. */
  async ok(command: string, args: readonly string[] = []): Promise<BazelResult> {
    const result = await this.run(command, args);
    if (result.exitCode !== 0) throw new Error(`bazel ${command} ${args.join(" ")} failed (${result.exitCode}):\n${result.stderr.split("\n").filter((l) => !l.includes("linux-sandbox")).slice(-40).join("\n")}`);
    return result;
  }

  /** `bazel info output_base`, asked once: it depends only on the workspace and the output root. */
  async outputBase(): Promise<string> {
    this.outputBasePath ??= (await this.ok("info", ["output_base"])).stdout.trim();
    return this.outputBasePath;
  }

  async shutdown(): Promise<void> {
    await endBazelServers(this.outputUserRoot);
  }
}

/**
 * Ends the Bazel servers of an output root at once, with SIGKILL. `bazel shutdown` returns about
 * 2 s after the server has logged the command finished, an idle wait for each server the suite
 * starts; the tests delete the output root after, so nothing the server does on its way out
 * matters. A pid is killed only while its command line names the output base it was read from (a
 * stale pid file could name another process by now), and the pid file goes with it.
 */
export async function endBazelServers(outputUserRoot: string): Promise<void> {
  const outputBases = existsSync(outputUserRoot) ? readdirSync(outputUserRoot).map((name) => join(outputUserRoot, name)) : [];
  for (const outputBase of outputBases) {
    const pidFile = join(outputBase, "server", "server.pid.txt");
    let pid: number;
    try {
      pid = Number(readFileSync(pidFile, "utf8").trim());
    } catch {
      continue;
    }
    const commandLine = () => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8");
      } catch {
        return "";
      }
    };
    if (Number.isInteger(pid) && pid > 0 && commandLine().includes(`--output_base=${outputBase}\0`)) {
      process.kill(pid, "SIGKILL");
      while (commandLine() !== "") await sleep(10);
    }
    rmSync(pidFile, { force: true });
  }
}
