// starlark/private/targets.bzl, the target table the repository rule reads, says what
// src/targets.ts says: `npm run build` writes it (scripts/targets-bzl.mjs), init copies it. Read
// as Starlark structs, field by field, so that a table edited without a rebuild fails here; what
// a wrong GOARCH does to a build is proven where libraries are built (test/go/go-build.test.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { formatStarlark, lintStarlark } from "../../src/buildifier.js";
import { TARGETS } from "../../src/targets.js";
import { ROOT } from "../cli/helpers.js";

const FILE = join(ROOT, "starlark", "private", "targets.bzl");

/** Each `"key": struct(field = value, ...)` entry of the TARGETS dict: strings and lists of strings. */
function structs(text: string): Record<string, Record<string, string | string[]>> {
  const out: Record<string, Record<string, string | string[]>> = {};
  for (const [, key, body] of text.matchAll(/^ {4}"([^"]+)": struct\(\n([\s\S]*?)^ {4}\),$/gm)) {
    const fields: Record<string, string | string[]> = {};
    for (const [, name, value] of body!.matchAll(/^ {8}(\w+) = (.+),$/gm)) {
      fields[name!] = value!.startsWith("[") ? [...value!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!) : JSON.parse(value!);
    }
    out[key!] = fields;
  }
  return out;
}

it("holds every target of the table with its subdir, Bazel constraints, GOOS and GOARCH", () => {
  const shipped = structs(readFileSync(FILE, "utf8"));
  const expected = Object.fromEntries(
    TARGETS.map((t) => [
      t.triplet,
      {
        triplet: t.triplet,
        subdir: t.subdir,
        os: t.bazelOs,
        cpus: [...t.bazelCpus],
        target_cpu: t.bazelTargetCpu,
        target_libc: t.bazelOs === "macos" ? "macosx" : "unknown",
        goos: t.goos,
        goarch: t.goarch,
      },
    ]),
  );
  expect(shipped).toEqual(expected);
});

it("is formatted and lint-clean as buildifier wants it", async () => {
  const text = readFileSync(FILE, "utf8");
  expect(await formatStarlark(text, "bzl")).toBe(text);
  expect(await lintStarlark(text, "bzl", "targets.bzl")).toEqual([]);
});
