// What a set of activation scripts exports, remembered on disk: running bash costs a few
// milliseconds per target and `describe` runs at every Bazel fetch. The key is the scripts'
// names and content, the prefix (older scripts check its bin/) and the identity of the bash that
// ran them; an entry is used only when it names that key and holds nothing but variables.
import { createHash } from "node:crypto";
import { realpathSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { readCacheJson, writeCacheJson } from "./cache-files.js";

export interface ActivationScript {
  /** The path a user would look at, for messages. */
  readonly path: string;
  readonly name: string;
  /** The text that was read (and hashed): bash runs this copy, never the file again. */
  readonly text: string;
}

/** Stands for the prefix in recorded values, so a prefix with spaces survives splitting flags. */
export const PREFIX_MARK = "\u0000CONDA_PREFIX\u0000";

/** Stands for the host prefix ($PREFIX) in values recorded in conda-build's branch. */
export const HOST_PREFIX_MARK = "\u0000PREFIX\u0000";

/** Bump when what is run or how values are recorded changes. */
const FORMAT = 1;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const bashes = new Map<string, { path: string; identity: string } | undefined>();

/** The first `bash` on PATH, as conda's shell hook would find it, and its file identity. */
export function findBash(path: string | undefined): { path: string; identity: string } | undefined {
  const key = path ?? "";
  if (!bashes.has(key)) bashes.set(key, searchBash(key));
  return bashes.get(key);
}

function searchBash(path: string): { path: string; identity: string } | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "bash");
    const s = statSync(candidate, { throwIfNoEntry: false });
    if (!s?.isFile() || (s.mode & 0o111) === 0) continue;
    return { path: candidate, identity: `${realpathSync(candidate)}|${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}` };
  }
  return undefined;
}

/** `condaBuild`: the scripts ran in their CONDA_BUILD=1 branch, which gives other values. */
export function activationKey(bashIdentity: string, prefix: string, scripts: readonly ActivationScript[], condaBuild = false): string {
  const hash = createHash("sha256").update(`${FORMAT}\0${bashIdentity}\0${prefix}\0${condaBuild ? "conda-build\0" : ""}`);
  for (const s of scripts) hash.update(`${s.name}\0${createHash("sha256").update(s.text).digest("hex")}\0`);
  return hash.digest("hex");
}

const fileName = (key: string) => `activation-${key}.json`;

export function readActivationCache(dir: string, key: string): Record<string, string> | undefined {
  const data = readCacheJson(dir, fileName(key)) as { key?: unknown; values?: unknown } | undefined;
  if (data?.key !== key || typeof data.values !== "object" || data.values === null || Array.isArray(data.values)) return undefined;
  const values = data.values as Record<string, unknown>;
  const valid = Object.entries(values).every(([name, value]) => NAME.test(name) && typeof value === "string");
  return valid ? (values as Record<string, string>) : undefined;
}

export function writeActivationCache(dir: string, key: string, values: Record<string, string>): void {
  writeCacheJson(dir, fileName(key), { key, values });
}
