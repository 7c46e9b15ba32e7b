// conda-bazel.yaml: optional, in the workspace root. Every CLI flag has a key here; the flag wins.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { UsageError } from "./errors.js";

export const CONFIG_FILE_NAME = "conda-bazel.yaml";

const targetList = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === "string" ? [v] : v));

export const ConfigSchema = z
  .object({
    /** The conda prefix; default $CONDA_PREFIX. */
    prefix: z.string().optional(),
    /** Targets to configure or build; default: the env's own platform and every target it has a compiler for. */
    targets: targetList.optional(),
    init: z
      .object({
        /** Name of the external repository holding the toolchains. */
        repository: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "must be a valid Bazel repository name").default("conda"),
        /** Variables pinned with --action_env in the machine-local rc file. */
        actionEnv: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name")).default(["CONDA_PREFIX", "CONDA_DEFAULT_ENV"]),
        /** The rc config the action_env lines go under; `build` puts them on every build. */
        actionEnvConfig: z.string().regex(/^[A-Za-z0-9_.-]+$/).default("conda-env"),
        /** Where conda_build_config.yaml goes, relative to the workspace; default recipe/ when it exists, else the root. */
        condaBuildConfig: z.string().optional(),
        /** Where init vendors conda-bazel's Starlark, relative to the workspace. */
        starlarkDirectory: z
          .string()
          .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\\"\n]+$/, "must be a relative path inside the workspace")
          .default("third_party/conda_bazel"),
        /** Also emit the rules_go SDK wiring. */
        rulesGo: z.boolean().default(false),
      })
      .strict()
      .default({}),
    goBuild: z
      .object({
        package: z.string().optional(),
        out: z.string().optional(),
        name: z.string().optional(),
        jobs: z.number().int().positive().optional(),
        failFast: z.boolean().optional(),
        args: z.array(z.string()).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

/** Reads and validates the config file. An explicit path must exist; the default one may not. */
export function loadConfig(workspace: string, explicitPath?: string): Config {
  const path = explicitPath ? resolve(explicitPath) : join(workspace, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (!explicitPath && (error as NodeJS.ErrnoException).code === "ENOENT") return ConfigSchema.parse({});
    throw new UsageError(`cannot read config file ${path}`, "pass an existing file to --config");
  }
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (error) {
    throw new UsageError(`${path} is not valid YAML: ${(error as Error).message.split("\n")[0]}`, "fix the YAML syntax");
  }
  const result = ConfigSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.join(".") || "(top level)";
    throw new UsageError(`${path}: ${where}: ${issue.message}`, `see the README's conda-bazel.yaml section for valid keys`);
  }
  return result.data;
}
