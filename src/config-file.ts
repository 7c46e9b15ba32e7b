// conda-bazel.yaml: optional, in the workspace root. Read here; parsed and validated by config.ts
// (the YAML parser and the schema, a third of a no-change `init`), which loads only when there is
// a file to parse: without one, the configuration is the defaults below.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "./config.js";
import { UsageError } from "./errors.js";

export const CONFIG_FILE_NAME = "conda-bazel.yaml";

/** Every key's value when the file does not set it: the schema's defaults (config.ts). */
export const DEFAULTS = {
  repository: "conda",
  actionEnv: ["CONDA_PREFIX", "CONDA_DEFAULT_ENV"],
  actionEnvConfig: "conda-env",
  starlarkDirectory: "third_party/conda_bazel",
  rulesGo: false,
} as const;

/** What the schema makes of an empty file, built without it. */
function defaultConfig(): Config {
  const { repository, actionEnv, actionEnvConfig, starlarkDirectory, rulesGo } = DEFAULTS;
  return { init: { repository, actionEnv: [...actionEnv], actionEnvConfig, starlarkDirectory, rulesGo }, goBuild: {} };
}

/** Reads and validates the config file. An explicit path must exist; the default one may not. */
export async function loadConfig(workspace: string, explicitPath?: string): Promise<Config> {
  const path = explicitPath ? resolve(explicitPath) : join(workspace, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (!explicitPath && (error as NodeJS.ErrnoException).code === "ENOENT") return defaultConfig();
    throw new UsageError(`cannot read config file ${path}`, "pass an existing file to --config");
  }
  return (await import("./config.js")).parseConfig(path, text);
}
