// Placeholder until the command lands; see the issue tracker.
import type { CommandArgs } from "../cli.js";
import { UsageError } from "../errors.js";

export async function run(_args: CommandArgs): Promise<number> {
  throw new UsageError("this command is not implemented yet");
}
