// Loads the bundled CLI (lib/bundle/*.cjs) through V8's code cache. A no-change `init` otherwise
// spends a tenth of its time compiling JavaScript that has not changed since the last run
// (bench/init.mjs). Node 22 has module.enableCompileCache for this; Node 20 has not.
//
// The cache is a hint: an entry is found by the digest of the source it was made from (with the
// Node version and architecture) and used only when its bytes match the digest stored with them;
// V8 refuses data from another V8 or other flags too. Anything else is a miss, and the run writes
// a fresh entry. Entries live in conda-bazel's cache directory, as trusted as the Go build cache
// kept there.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { cacheDir } from "./cache-dir.js";
import { readCacheFile, writeCacheFile } from "./conda/cache-files.js";

/** Far more than the largest chunk's code. */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
const DIGEST_BYTES = 32;

/** What the CommonJS loader gives a module, so that a chunk runs as `require` would run it. */
type ModuleFunction = (exports: unknown, require: (id: string) => unknown, module: { exports: unknown }, filename: string, dirname: string) => void;

interface Compiled {
  readonly script: Script;
  readonly dir: string;
  readonly name: string;
}

export interface LoadedBundle {
  readonly exports: Record<string, unknown>;
  /** Writes the entries this run missed: after the command, so that they hold the functions it
   * compiled, not only the top level. */
  save(): void;
}

/** Loads `file`, a chunk of the bundle, and the chunks it requires (`./name.cjs`), each compiled
 * with its cache entry; everything else it requires comes from Node's own loader. */
export function loadBundle(file: string, env: NodeJS.ProcessEnv = process.env): LoadedBundle {
  const dir = codeCacheDir(env);
  const modules = new Map<string, { exports: unknown }>();
  const missed: Compiled[] = [];

  const load = (path: string): unknown => {
    const loaded = modules.get(path);
    if (loaded) return loaded.exports;
    const module = { exports: {} };
    modules.set(path, module);
    const source = readFileSync(path, "utf8");
    const entry = dir === undefined ? undefined : { dir, name: `${createHash("sha256").update(`${process.version}\0${process.arch}\0`).update(source).digest("hex")}.v8` };
    const cachedData = entry && readEntry(entry.dir, entry.name);
    // The wrapper of Node's CommonJS loader, on the same line as the code so that stack traces
    // keep their line numbers.
    const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: path, ...(cachedData ? { cachedData } : {}) });
    if (entry && (!cachedData || script.cachedDataRejected)) missed.push({ script, ...entry });
    const fallback = createRequire(path);
    const require = (id: string) => (id.startsWith("./") ? load(join(dirname(path), id)) : fallback(id));
    (script.runInThisContext() as ModuleFunction)(module.exports, require, module, path, dirname(path));
    return module.exports;
  };

  return {
    exports: load(file) as Record<string, unknown>,
    save: () => {
      for (const { script, dir, name } of missed) {
        const data = script.createCachedData();
        writeCacheFile(dir, name, Buffer.concat([createHash("sha256").update(data).digest(), data]));
      }
    },
  };
}

/** Undefined when there is no cache directory to use (no home directory to put it in): the CLI
 * then compiles its code every run, and runs the same. */
function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return join(cacheDir(env), "code-cache");
  } catch {
    return undefined;
  }
}

/** The code cache data of an entry, or undefined when it is missing, not a regular file, too
 * large, or not the bytes its digest names. */
function readEntry(dir: string, name: string): Buffer | undefined {
  const bytes = readCacheFile(dir, name, MAX_ENTRY_BYTES);
  if (bytes === undefined || bytes.length <= DIGEST_BYTES) return undefined;
  const data = bytes.subarray(DIGEST_BYTES);
  return createHash("sha256").update(data).digest().equals(bytes.subarray(0, DIGEST_BYTES)) ? data : undefined;
}
