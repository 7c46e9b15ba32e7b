// conda-bazel.yaml's schema: every CLI flag has a key here; the flag wins. Loaded only to parse a
// file (config-file.ts reads it).
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { DEFAULTS } from "./config-file.js";
import { UsageError } from "./errors.js";
import { normaliseRelative } from "./fs/safe-path.js";
import { checkRemoteCache } from "./remote-cache.js";

/** A path below the workspace root, normalised so that `a/`, `./a` and `a//b` name one place. */
const workspacePath = z
  .string()
  .regex(/^[^\\"\n]+$/, "must not contain a backslash, a double quote or a line break")
  .transform((value, ctx) => {
    try {
      return normaliseRelative(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `${(error as UsageError).message}: ${(error as UsageError).hint}` });
      return z.NEVER;
    }
  });

// Repositories that Bazel, the rulesets conda-bazel loads, or conda-bazel itself declare: an
// @conda repository under one of these names shadows it, and Bazel fails far from the cause.
const RESERVED_REPOSITORIES = new Set([
  "conda_bazel",
  "bazel_tools",
  "bazel_skylib",
  "bazel_features",
  "platforms",
  "rules_cc",
  "rules_python",
  "rules_go",
  "io_bazel_rules_go",
  "go_sdk",
  "rules_java",
  "rules_proto",
  "rules_license",
  "rules_shell",
  "com_google_protobuf",
  "protobuf",
  "apple_support",
  "build_bazel_apple_support",
  "local_jdk",
  "remote_coverage_tools",
  "bazel_gazelle",
]);
const RESERVED_REPOSITORY_PREFIXES = ["local_config_", "remotejdk", "remote_java_tools"];

export function reservedRepository(name: string): boolean {
  return RESERVED_REPOSITORIES.has(name) || RESERVED_REPOSITORY_PREFIXES.some((p) => name.startsWith(p));
}

// YAML files that conda, conda-build, rattler-build and conda-bazel read as something else: a
// block of variant keys appended to one of them breaks it.
const OTHER_YAML = new Set(["meta.yaml", "recipe.yaml", "environment.yml", "environment.yaml", "conda-bazel.yaml"]);

const targetList = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === "string" ? [v] : v));

export const ConfigSchema = z
  .object({
    /** The conda prefix; default $CONDA_PREFIX. */
    prefix: z.string().optional(),
    /** Targets to configure or build; default: the env's own platform and every target it has a compiler for. */
    targets: targetList.optional(),
    /** The compiler family of targets that have both gcc and clang (Linux); default: what CC or the activation chose. */
    compiler: z.enum(["gcc", "clang"]).optional(),
    init: z
      .object({
        /** Name of the external repository holding the toolchains. */
        repository: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "must be a valid Bazel repository name")
          .refine((name) => !reservedRepository(name), (name) => ({ message: `'${name}' is a repository Bazel, a ruleset or conda-bazel already declares: choose another name, e.g. conda` }))
          .default(DEFAULTS.repository),
        /** Variables pinned with --action_env in the machine-local rc file. */
        actionEnv: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name")).default([...DEFAULTS.actionEnv]),
        /** The rc config the action_env lines go under; `build` puts them on every build. */
        actionEnvConfig: z.string().regex(/^[A-Za-z0-9_.-]+$/).default(DEFAULTS.actionEnvConfig),
        /** Where conda_build_config.yaml goes, relative to the workspace; default recipe/ when it exists, else the root. */
        condaBuildConfig: workspacePath
          .refine((path) => /\.ya?ml$/.test(path) && !OTHER_YAML.has(path.slice(path.lastIndexOf("/") + 1)), "must name a conda_build_config YAML file, not a file of another kind")
          .optional(),
        /** Where init vendors conda-bazel's Starlark, relative to the workspace. */
        starlarkDirectory: workspacePath.default(DEFAULTS.starlarkDirectory),
        /** Also emit the rules_go SDK wiring. */
        rulesGo: z.boolean().default(DEFAULTS.rulesGo),
        /** A shared Bazel cache every build reads; only `--config=ci` uploads to it. */
        remoteCache: z.string().transform(checkRemoteCache).optional(),
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

/** The config file at `path`, whose contents are `text`, validated. */
export function parseConfig(path: string, text: string): Config {
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
    const hint = issue.code === "custom" && typeof issue.params?.hint === "string" ? issue.params.hint : "see the README's conda-bazel.yaml section for valid keys";
    throw new UsageError(`${path}: ${where}: ${issue.message}`, hint);
  }
  // Written next to the file, so it means the same from any working directory.
  const prefix = result.data.prefix === undefined ? {} : { prefix: resolve(dirname(path), result.data.prefix) };
  return { ...result.data, ...prefix };
}
