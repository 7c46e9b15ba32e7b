// The prefix and targets a describe/doctor run works on: flags first, then conda-bazel.yaml in
// the current directory (loaded only when present: its YAML parser is not free), then defaults.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CommandArgs } from "../cli.js";
import { parseTargetList } from "../target-selection.js";
import type { Target } from "../targets.js";
import { resolvePrefix } from "./prefix.js";

/** config.ts's CONFIG_FILE_NAME; importing it would load the YAML parser (~45 ms) on every run. */
const CONFIG_FILE = "conda-bazel.yaml";

export interface CommandInputs {
  readonly prefix: string;
  readonly targets: Target[] | undefined;
}

export async function commandInputs(args: CommandArgs, cwd = process.cwd()): Promise<CommandInputs> {
  let configured: { prefix?: string; targets?: string[] } = {};
  if (existsSync(join(cwd, CONFIG_FILE))) configured = (await import("../config.js")).loadConfig(cwd);
  const flagTargets = args.values.target as string[] | undefined;
  // Targets first: an unknown target is a usage error whatever the prefix.
  const targets = parseTargetList(flagTargets?.length ? flagTargets : configured.targets);
  const prefix = resolvePrefix(args.values.prefix as string | undefined, configured.prefix);
  return { prefix, targets };
}
