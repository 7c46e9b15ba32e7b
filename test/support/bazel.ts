// Runs the real Bazel 4.2.3 offline: the three --override_repository flags of
// reference/offline-toolchain.md (Debian's rules_java and @platforms, and a small rules_cc stand-in
// that forwards to the native rules), each workspace with its own output root, shut down after.
import { execa } from "execa";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const RULES = ["cc_library", "cc_binary", "cc_test", "cc_import", "cc_toolchain", "cc_toolchain_suite", "cc_proto_library", "objc_library", "objc_import"];

/** Fails (never skips) a real-tool test when Bazel is not installed. */
export function requireBazel(): void {
  if (!existsSync("/usr/bin/bazel")) throw new Error("bazel is not installed (apt-get install bazel-bootstrap); npm test installs it");
}

/** A rules_cc stand-in whose cc/defs.bzl forwards each rule to the native one (Bazel 4.2.3's
 * @bazel_tools asks for @rules_cc, and Debian's copy needs a newer Bazel). */
export function rulesCcStub(dir: string): string {
  mkdirSync(join(dir, "cc"), { recursive: true });
  writeFileSync(join(dir, "WORKSPACE"), 'workspace(name = "rules_cc")\n');
  writeFileSync(join(dir, "BUILD"), "");
  writeFileSync(join(dir, "cc", "BUILD"), "");
  writeFileSync(join(dir, "cc", "defs.bzl"), RULES.map((r) => `def ${r}(**kwargs):\n    native.${r}(**kwargs)\n`).join("\n"));
  return dir;
}

export interface BazelResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Bazel for one workspace, with its own output root and the offline repository overrides. */
export class Bazel {
  constructor(
    readonly workspace: string,
    readonly outputUserRoot: string,
    readonly stub: string,
    readonly env: Readonly<Record<string, string | undefined>> = { PATH: process.env.PATH, HOME: process.env.HOME },
  ) {}

  /** `bazel <command> <offline flags> <args>`; never throws on a failed build. */
  async run(command: string, args: readonly string[] = []): Promise<BazelResult> {
    const offline = command === "shutdown" ? [] : [
      "--override_repository=rules_java=/usr/share/bazel/rules/java",
      "--override_repository=platforms=/usr/share/bazel/tools/platforms",
      `--override_repository=rules_cc=${this.stub}`,
    ];
    const result = await execa("bazel", [`--output_user_root=${this.outputUserRoot}`, command, ...offline, ...args], {
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

  async shutdown(): Promise<void> {
    await this.run("shutdown");
  }
}

/** The process summary of a build: `{ "disk cache hit": 4, "linux-sandbox": 1, internal: 5 }`. */
export function processCounts(stderr: string): Record<string, number> {
  const line = stderr.split("\n").reverse().find((l) => /^INFO: \d+ process(es)?[:.]/.test(l));
  if (!line) throw new Error(`no process summary in Bazel's output:\n${stderr.slice(-2000)}`);
  const counts: Record<string, number> = {};
  for (const part of line.replace(/^INFO: \d+ process(es)?:?/, "").replace(/\.$/, "").split(",")) {
    const match = /^\s*(\d+) (.+?)\s*$/.exec(part);
    if (match) counts[match[2]!] = Number(match[1]);
  }
  return counts;
}
