// `conda-bazel describe`: what discovery finds in a prefix. `--json` is the callout API the
// Bazel repository rule reads at fetch time: one document, nothing else on stdout.
import type { CommandArgs } from "../cli.js";
import { commandInputs } from "../conda/command-inputs.js";
import { choiceLine } from "../conda/compiler-choice.js";
import { discoverEnvironment } from "../conda/discover.js";
import { resolvePrefix } from "../conda/prefix.js";
import type { Environment } from "../environment.js";
import { EXIT } from "../errors.js";
import { table } from "./table.js";
import { writeOut } from "../output.js";

export async function run(args: CommandArgs): Promise<number> {
  const { prefix, targets, compiler } = await commandInputs(args);
  const host = args.values["host-prefix"] as string | undefined;
  const env = await discoverEnvironment({
    prefix,
    targets,
    packages: true,
    ...(compiler ? { compiler } : {}),
    ...(host === undefined ? {} : { hostPrefix: resolvePrefix(host, undefined, {}, "--host-prefix") }),
  });
  writeOut(args.values.json ? `${JSON.stringify(env)}\n` : summary(env));
  // Missing targets are data, not a failure: doctor is the command that judges them.
  return EXIT.ok;
}

export function summary(env: Environment): string {
  const lines = table([
    ["prefix", env.prefix],
    ["subdir", env.subdir],
    ["python", env.python ? `${env.python.version}  ${env.python.interpreter}` : "none"],
    ["go", env.go ? `${env.go.version} (${env.go.variant})  GOROOT ${env.go.goroot}` : "none"],
    ...(env.host ? [["host prefix", `${env.host.prefix}  (${env.host.subdir ?? "platform unknown"}; flags of the CONDA_BUILD=1 activation)`]] : []),
  ]);
  lines.push("");
  if (env.toolchains.length > 0) {
    lines.push(
      ...table([
        ["TARGET", "GO", "COMPILER", "VERSION", "SYSROOT", "FLAGS"],
        ...env.toolchains.map((t) => [t.target, `${t.goos}/${t.goarch}`, t.cc, t.version, t.sysroot ?? "none", t.flagsSource]),
      ]),
    );
  } else {
    lines.push("no toolchains");
  }
  const choices = env.toolchains.map(choiceLine).filter((line): line is string => line !== undefined);
  if (choices.length > 0) lines.push("", ...choices);
  for (const m of env.missing) lines.push("", `missing ${m.target}: ${m.reason}`, `  fix: ${m.hint}`);
  return `${lines.join("\n")}\n`;
}
