// The prefix and targets a describe/doctor/go-env run works on: flags first, then conda-bazel.yaml
// in the current directory (loaded only when present: its YAML parser is not free), then defaults.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CommandArgs } from "../cli.js";
import type { Config } from "../config.js";
import { CONFIG_FILE_NAME, loadConfig } from "../config-file.js";
import { parseTargetList } from "../target-selection.js";
import type { CompilerFamily, Target } from "../targets.js";
import { parseFamily } from "./compiler-choice.js";
import { resolvePrefix } from "./prefix.js";

export interface CommandInputs {
  readonly prefix: string;
  readonly targets: Target[] | undefined;
  /** --compiler, else conda-bazel.yaml's `compiler`. */
  readonly compiler: CompilerFamily | undefined;
}

/** The `explicit` config file, else conda-bazel.yaml in `cwd` when there is one, else nothing. */
export async function readConfigIfPresent(cwd: string, explicit?: string): Promise<Partial<Config>> {
  if (!explicit && !existsSync(join(cwd, CONFIG_FILE_NAME))) return {};
  return loadConfig(cwd, explicit);
}

export async function commandInputs(args: CommandArgs, cwd = process.cwd()): Promise<CommandInputs> {
  const configured = await readConfigIfPresent(cwd);
  const flagTargets = args.values.target as string[] | undefined;
  // Targets first: an unknown target is a usage error whatever the prefix.
  const targets = parseTargetList(flagTargets?.length ? flagTargets : configured.targets);
  const prefix = resolvePrefix(args.values.prefix as string | undefined, configured.prefix);
  const flag = args.values.compiler as string | undefined;
  return { prefix, targets, compiler: flag === undefined ? configured.compiler : parseFamily(flag, "--compiler") };
}
