// Asks a compiler what Bazel's cc_configure asks it: its version, its target machine, and the
// directories it searches for `#include <...>` (from `-E -x c - -v` on empty input).
import { dirname, resolve } from "node:path";

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

/**
 * The whole environment of a probe, nothing inherited: the caller's GCC_EXEC_PREFIX,
 * COMPILER_PATH, CPATH, C_INCLUDE_PATH, LIBRARY_PATH, SDKROOT and the like change what a compiler
 * reports, and the result is cached for later runs that have none of them. Messages in English.
 * PATH: the compiler's own directory (conda wrapper scripts call their siblings), then the system's.
 */
export function probeEnvironment(cc: string): Record<string, string> {
  return { PATH: [dirname(cc), "/usr/bin", "/bin"].join(":"), LC_ALL: "C", ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}) };
}

/** Runs the probes of one compiler (C driver plus, when there is one, the C++ driver). */
export async function probeCompiler(family: keyof typeof VERSION_ARGS, cc: string, cxx: string | null): Promise<CompilerFacts> {
  const { execa } = await import("execa");
  const env = probeEnvironment(cc);
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
