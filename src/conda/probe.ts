// Asks a compiler what Bazel's cc_configure asks it: its version, its target machine, and the
// directories it searches for `#include <...>` (from `-E -x c - -v` on empty input).
import { resolve } from "node:path";

export interface CompilerFacts {
  readonly version: string;
  readonly machine: string;
  readonly builtinIncludeDirectories: string[];
}

export class ProbeFailed extends Error {}

const START = "#include <...> search starts here:";
const END = "End of search list.";

/** The `#include <...>` search list of `cc -E -v` output, normalised but not resolved through
 * symlinks: Bazel compares these textually against the paths the compiler reports later. */
export function parseIncludeDirectories(output: string): string[] {
  const lines = output.split(/\r?\n/);
  const start = lines.indexOf(START);
  if (start === -1) return [];
  const end = lines.indexOf(END, start);
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .map((l) => l.trim().replace(/ \(framework directory\)$/, ""))
    .filter(Boolean)
    .map((l) => resolve(l));
}

/** gcc's -dumpversion may say only "12" (configured that way); -dumpfullversion, which clang
 * rejects, gives all of it. */
const VERSION_ARGS = { gcc: ["-dumpfullversion", "-dumpversion"], clang: ["-dumpversion"] } as const;

/** Runs the probes of one compiler (C driver plus, when there is one, the C++ driver). */
export async function probeCompiler(family: keyof typeof VERSION_ARGS, cc: string, cxx: string | null): Promise<CompilerFacts> {
  const { execa } = await import("execa");
  // Include-path variables would add user directories to the list; messages must be English.
  const env: Record<string, string | undefined> = { ...process.env, LC_ALL: "C", CPATH: undefined, C_INCLUDE_PATH: undefined, CPLUS_INCLUDE_PATH: undefined };
  const run = async (file: string, args: string[]) => {
    try {
      return await execa(file, args, { input: "", env, extendEnv: false, reject: true, timeout: 60_000 });
    } catch (error) {
      const e = error as { shortMessage?: string; stderr?: string; message: string };
      const detail = (e.stderr?.trim().split("\n")[0] || e.shortMessage || e.message).split("\n")[0];
      throw new ProbeFailed(`${file} ${args.join(" ")} failed: ${detail}`);
    }
  };
  const [version, machine, cIncludes, cxxIncludes] = await Promise.all([
    run(cc, [...VERSION_ARGS[family]]),
    run(cc, ["-dumpmachine"]),
    run(cc, ["-E", "-x", "c", "-", "-v"]),
    cxx ? run(cxx, ["-E", "-x", "c++", "-", "-v"]) : undefined,
  ]);
  const dirs = [...parseIncludeDirectories(cIncludes.stderr), ...parseIncludeDirectories(cxxIncludes?.stderr ?? "")];
  return {
    version: firstLine(version.stdout),
    machine: firstLine(machine.stdout),
    builtinIncludeDirectories: [...new Set(dirs)],
  };
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0]!.trim();
}
