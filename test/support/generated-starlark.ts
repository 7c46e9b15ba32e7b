// What every file a repository rule generates must be: formatted as buildifier formats it, lint
// clean, and naming no global Bazel 9 removed unless it loads it.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { expect } from "vitest";
import { formatStarlark, lintStarlark } from "../../src/buildifier.js";
import { unloadedRemovedGlobals } from "./starlark-loads.js";

/** Checks each of `files` (BUILD files, and .bzl files by their name), named in failures relative to `dir`. */
export async function expectCleanGeneratedStarlark(dir: string, files: readonly string[]): Promise<void> {
  for (const file of files) {
    const name = relative(dir, file);
    const text = readFileSync(file, "utf8");
    const type = file.endsWith(".bzl") ? "bzl" : "build";
    expect(await lintStarlark(text, type, name), name).toEqual([]);
    expect(await formatStarlark(text, type), name).toBe(text);
    expect(unloadedRemovedGlobals(text), name).toEqual([]);
  }
}
