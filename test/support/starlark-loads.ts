// Reading Starlark text for what it loads and which Bazel 9-removed globals it names, without a
// Starlark interpreter: loads are parsed first, then strings and comments are blanked out so
// that a docstring mentioning `CcInfo` is not a use of it.

/** The globals Bazel 9 no longer has (reference/bazel-modern.md): usable only when loaded. */
export const REMOVED_GLOBALS = ["cc_common", "CcInfo", "CcToolchainConfigInfo", "PyRuntimeInfo", "PyInfo"] as const;

export interface Load {
  readonly label: string;
  /** Local name to the exported symbol it binds. */
  readonly symbols: ReadonlyMap<string, string>;
}

const LOAD = /^load\(([\s\S]*?)\)\s*$/gm;
const STRING = /"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g;

/** Every load() statement of a file. */
export function loads(text: string): Load[] {
  return [...text.matchAll(LOAD)].map((m) => {
    const args = m[1]!.split(",").map((a) => a.trim()).filter(Boolean);
    const label = JSON.parse(args[0]!) as string;
    const symbols = new Map<string, string>();
    for (const arg of args.slice(1)) {
      const alias = /^(\w+)\s*=\s*"(\w+)"$/.exec(arg);
      if (alias) symbols.set(alias[1]!, alias[2]!);
      else symbols.set(JSON.parse(arg) as string, JSON.parse(arg) as string);
    }
    return { label, symbols };
  });
}

/** The code of a file with load statements, strings and comments blanked out. */
function code(text: string): string {
  return text.replace(LOAD, "").replace(STRING, '""').replace(/#.*$/gm, "");
}

/** What a file names that Bazel 9 removed and the file did not load: `cc_common`, `native.py_runtime`... */
export function unloadedRemovedGlobals(text: string): string[] {
  const loaded = new Set(loads(text).flatMap((l) => [...l.symbols.keys()]));
  const body = code(text);
  const used = REMOVED_GLOBALS.filter((name) => new RegExp(`(?<![\\w.])${name}\\b`).test(body) && !loaded.has(name));
  const native = [...body.matchAll(/\bnative\.((?:cc|py|objc)_\w+)/g)].map((m) => `native.${m[1]}`);
  return [...used, ...native];
}
