// Argument parsing and dispatch. The only module that maps errors to exit codes; main returns
// the code, and the bin (bin/conda-bazel.cjs) exits with it.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { escapeControl, EXIT, UsageError, WorkFailed } from "./errors.js";
import { writeErr, writeOut } from "./output.js";

type Flags = NonNullable<ParseArgsConfig["options"]>;

interface CommandSpec {
  readonly summary: string;
  readonly usage: string;
  readonly flags: Flags;
  /** How many positional arguments the command takes at most. */
  readonly positionals: number;
  /** Whether arguments after `--` are passed through. */
  readonly passthrough: boolean;
  readonly load: () => Promise<{ run: (args: CommandArgs) => Promise<number> }>;
}

export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
  readonly passthrough: readonly string[];
  readonly debug: boolean;
}

const prefix = { prefix: { type: "string" } } as const;
const target = { target: { type: "string", multiple: true, short: "t" } } as const;
const json = { json: { type: "boolean" } } as const;
const config = { config: { type: "string" } } as const;
/** conda-build's $BUILD_PREFIX and $PREFIX, for anyone outside a build script. */
const twoPrefixes = { "build-prefix": { type: "string" }, "host-prefix": { type: "string" } } as const;
const compiler = { compiler: { type: "string" } } as const;

/** Every command with its usage line and flags: `--help` and the README synopsis are read from here. */
export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  init: {
    summary: "write .bazelrc, the @conda repository wiring and conda_build_config.yaml into a Bazel workspace",
    usage: "init [--prefix DIR | --build-prefix DIR --host-prefix DIR] [--target T]... [--compiler gcc|clang] [--workspace DIR] [--config FILE] [--check] [--dry-run] [--json]",
    flags: { ...prefix, ...target, ...json, ...config, ...twoPrefixes, ...compiler, workspace: { type: "string" }, check: { type: "boolean" }, "dry-run": { type: "boolean" } },
    positionals: 0,
    passthrough: false,
    load: () => import("./commands/init.js"),
  },
  describe: {
    summary: "print what conda-bazel finds in a conda prefix (--json: the callout API)",
    usage: "describe [--prefix DIR [--host-prefix DIR]] [--target T]... [--compiler gcc|clang] [--json]",
    flags: { ...prefix, ...target, ...json, ...compiler, "host-prefix": { type: "string" } },
    positionals: 0,
    passthrough: false,
    load: () => import("./commands/describe.js"),
  },
  "go-build": {
    summary: "cross-compile a Go package as a C shared library for several targets",
    usage: "go-build [PACKAGE] --target T... [--prefix DIR] [--config FILE] [--out DIR] [--name LIB] [--jobs N] [--fail-fast] [--json] [-- GO_BUILD_ARGS...]",
    flags: { ...prefix, ...target, ...json, ...config, out: { type: "string" }, name: { type: "string" }, jobs: { type: "string", short: "j" }, "fail-fast": { type: "boolean" } },
    positionals: 1,
    passthrough: true,
    load: () => import("./commands/go-build.js"),
  },
  "go-env": {
    summary: "print the cgo build environment per target with placeholders (the Bazel Go rule's callout)",
    usage: "go-env [--prefix DIR] [--target T]... [--json]",
    flags: { ...prefix, ...target, ...json },
    positionals: 0,
    passthrough: false,
    load: () => import("./commands/go-env.js"),
  },
  doctor: {
    summary: "check a conda prefix for what each target needs and for known traps",
    usage: "doctor [--prefix DIR] [--target T]...",
    flags: { ...prefix, ...target },
    positionals: 0,
    passthrough: false,
    load: () => import("./commands/doctor.js"),
  },
  check: {
    summary: "check built files against a target: machine, glibc versions, build-path RPATHs, executable stack",
    usage: "check [--target T] [--prefix DIR] [--glibc X.Y] [--json] PATH...",
    flags: { ...prefix, ...json, target: { type: "string", short: "t" }, glibc: { type: "string" } },
    positionals: Infinity,
    passthrough: false,
    load: () => import("./commands/check.js"),
  },
  targets: {
    summary: "list the supported targets and their aliases",
    usage: "targets [--json]",
    flags: { ...json },
    positionals: 0,
    passthrough: false,
    load: () => import("./commands/targets.js"),
  },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`);
  return [
    "conda-bazel: Bazel and conda-build configuration from a conda environment",
    "",
    "Usage: conda-bazel <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Options: --help, --version, --debug (stack traces on internal errors)",
    "Exit codes: 0 success, 1 the work failed, 2 bad usage or input, 3 internal error (a bug)",
    "",
  ].join("\n");
}

function commandHelp(spec: CommandSpec): string {
  return `Usage: conda-bazel ${spec.usage}\n\n${spec.summary}\n`;
}

async function version(): Promise<string> {
  const [{ readFile }, { join }, { PACKAGE_ROOT }] = await Promise.all([import("node:fs/promises"), import("node:path"), import("./package-root.js")]);
  const pkg = JSON.parse(await readFile(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes("--debug");
  try {
    const dashDash = argv.indexOf("--");
    const own = (dashDash === -1 ? argv : argv.slice(0, dashDash)).filter((a) => a !== "--debug");
    const passthrough = dashDash === -1 ? [] : argv.slice(dashDash + 1);
    const [name, ...rest] = own;
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      writeOut(mainHelp());
      return EXIT.ok;
    }
    if (name === "--version" || name === "-v") {
      writeOut(`${await version()}\n`);
      return EXIT.ok;
    }
    const spec = COMMANDS[name];
    if (!spec) throw new UsageError(`unknown command '${name}'`, `run 'conda-bazel --help' for the list of commands`);
    if (rest.includes("--help") || rest.includes("-h")) {
      writeOut(commandHelp(spec));
      return EXIT.ok;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: spec.flags, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(`${(error as Error).message.split("\n")[0]}`, `usage: conda-bazel ${spec.usage}`);
    }
    if (parsed.positionals.length > spec.positionals) {
      throw new UsageError(`unexpected argument '${parsed.positionals[spec.positionals]}'`, `usage: conda-bazel ${spec.usage}`);
    }
    if (passthrough.length > 0 && !spec.passthrough) {
      throw new UsageError(`'${name}' takes no arguments after --`, `usage: conda-bazel ${spec.usage}`);
    }
    const command = await spec.load();
    return await command.run({ values: parsed.values, positionals: parsed.positionals, passthrough, debug });
  } catch (error) {
    return report(error, debug);
  }
}

/** Prints `error` as the user sees it (to stderr, or `write`) and returns its exit code. */
export function report(error: unknown, debug: boolean, write: (text: string) => void = writeErr): number {
  if (error instanceof UsageError) {
    write(`conda-bazel: ${error.message}${error.hint ? ` (${error.hint})` : ""}\n`);
    if (debug) write(`${error.stack}\n`);
    return EXIT.usage;
  }
  if (error instanceof WorkFailed) {
    if (!error.reported) write(`conda-bazel: ${escapeControl(error.message)}\n`);
    return EXIT.failed;
  }
  const system = error as NodeJS.ErrnoException;
  if (typeof system.code === "string" && typeof system.path === "string" && typeof system.syscall === "string") {
    // A file the user's input names cannot be used (a file where a directory belongs, a
    // permission): bad input, not a bug of conda-bazel.
    const reason = /^\w+: ([^,]+)/.exec(system.message)?.[1] ?? system.code;
    write(`conda-bazel: cannot ${system.syscall} ${system.path}: ${reason} (fix that path or its permissions and run again)\n`);
    if (debug) write(`${system.stack}\n`);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`conda-bazel: internal error: ${escapeControl(message.split("\n")[0]!)} (rerun with --debug for the stack trace, and report it)\n`);
  if (debug && error instanceof Error) write(`${error.stack}\n`);
  return EXIT.internal;
}
