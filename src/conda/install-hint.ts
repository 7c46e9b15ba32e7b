// The exact command that installs what a target needs into a prefix.
import type { Target } from "../targets.js";

/** Single-quotes a word for sh when it holds anything a shell would interpret. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function installCommand(prefix: string, packages: readonly string[]): string {
  return ["conda", "install", "-p", shellQuote(prefix), "-c", "conda-forge", ...packages].join(" ");
}

/** What `conda install` needs for a target's C/C++ toolchain: the compilers and the C library. */
export function toolchainPackages(target: Target): string[] {
  return [...target.compilerPackages, target.stdlibPackage];
}
