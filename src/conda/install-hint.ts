// The exact command that changes a prefix, in the words of the manager that made it: a pixi env
// (`<project>/.pixi/envs/<name>`) changes only through its manifest (`pixi add`); conda, mamba and
// micromamba envs name their maker in the first `# cmd:` of conda-meta/history.
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { compilerFamilies, type CompilerFamily, type Target } from "../targets.js";

type Manager =
  | { readonly kind: "conda" | "mamba" | "micromamba"; readonly known: boolean }
  | { readonly kind: "pixi"; readonly manifest: string; readonly environment: string };

/** Single-quotes a word for sh when it holds anything a shell would interpret. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The creating command is near the top; a long-lived env's history is megabytes. */
const HISTORY_HEAD_BYTES = 8192;

function historyHead(prefix: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(join(prefix, "conda-meta", "history"), "r");
    const buffer = Buffer.alloc(HISTORY_HEAD_BYTES);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString("utf8");
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const managers = new Map<string, Manager>();

export function envManager(prefix: string): Manager {
  let manager = managers.get(prefix);
  if (!manager) {
    manager = detectManager(prefix);
    managers.set(prefix, manager);
  }
  return manager;
}

function detectManager(prefix: string): Manager {
  const envs = dirname(prefix);
  if (basename(envs) === "envs" && basename(dirname(envs)) === ".pixi") {
    const project = dirname(dirname(envs));
    const manifest = ["pixi.toml", "pyproject.toml"].map((f) => join(project, f)).find((f) => existsSync(f)) ?? project;
    return { kind: "pixi", manifest, environment: basename(prefix) };
  }
  // conda records its own path (`/opt/conda/bin/conda`), micromamba and mamba 2 their name.
  const program = /^# cmd: (\S+)/m.exec(historyHead(prefix))?.[1];
  const name = program && /^(conda|mamba|micromamba)(\.exe|-script\.py)?$/.exec(basename(program.replace(/\\/g, "/")))?.[1];
  return name ? { kind: name as "conda" | "mamba" | "micromamba", known: true } : { kind: "conda", known: false };
}

type Action = "install" | "reinstall" | "remove";

export function managerCommand(prefix: string, action: Action, packages: readonly string[]): string {
  const m = envManager(prefix);
  if (m.kind === "pixi") {
    const manifest = ["--manifest-path", shellQuote(m.manifest)];
    if (action === "reinstall") return ["pixi", "reinstall", ...manifest, ...(m.environment === "default" ? [] : ["-e", shellQuote(m.environment)]), ...packages].join(" ");
    // A named environment is made of features; conventionally one of its own name.
    const feature = m.environment === "default" ? [] : ["--feature", shellQuote(m.environment)];
    return ["pixi", action === "install" ? "add" : "remove", ...manifest, ...feature, ...packages].join(" ");
  }
  const words =
    action === "remove"
      ? [m.kind, "remove", "-p", shellQuote(prefix), ...packages]
      : [m.kind, "install", "-p", shellQuote(prefix), "-c", "conda-forge", ...(action === "reinstall" ? ["--force-reinstall"] : []), ...packages];
  const command = words.join(" ");
  return m.known ? command : `${command} (conda-meta/history does not say which manager made this env; with mamba or micromamba the arguments are the same)`;
}

export function installCommand(prefix: string, packages: readonly string[]): string {
  return managerCommand(prefix, "install", packages);
}

/** What `conda install` needs for a target's C/C++ toolchain: the compilers (of `family`, by
 * default the target's own) and the C library. */
export function toolchainPackages(target: Target, family: CompilerFamily = target.family): string[] {
  const packages = compilerFamilies(target).find((n) => n.family === family)?.packages ?? target.compilerPackages;
  return [...packages, target.stdlibPackage];
}
