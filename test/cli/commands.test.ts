// The commands a user runs first: `targets` (for people and for scripts, both from the one target
// table) and `--debug`, which adds the stack trace to an error line, and only then.
import { describe, expect, it } from "vitest";
import { sharedLibraryName, TARGETS } from "../../src/targets.js";
import { cleanEnv, cli, expectOneLine, tempDir } from "./helpers.js";

const cache = tempDir("conda-bazel-cache-");

describe("targets", () => {
  it("prints one row per target of the table, and --json says the same", async () => {
    const text = await cli(["targets"], cleanEnv(cache));
    const json = await cli(["targets", "--json"], cleanEnv(cache));
    expect([text.exitCode, json.exitCode]).toEqual([0, 0]);
    const [header, ...rows] = text.stdout.split("\n").map((l) => l.trim().split(/\s{2,}/));
    expect(header).toEqual(["TARGET", "SUBDIR", "GO", "BAZEL", "LIBRARY", "ALIASES"]);
    const documents = (JSON.parse(json.stdout) as { targets: Record<string, unknown>[] }).targets;
    expect(rows).toHaveLength(TARGETS.length);
    expect(documents).toHaveLength(TARGETS.length);
    TARGETS.forEach((t, i) => {
      expect(rows[i]).toEqual([t.triplet, t.subdir, `${t.goos}/${t.goarch}`, `${t.bazelOs}/${t.bazelCpus[0]}`, sharedLibraryName(t, "NAME"), t.aliases.join(", ")]);
      expect(documents[i]).toMatchObject({ triplet: t.triplet, subdir: t.subdir, goos: t.goos, goarch: t.goarch, sharedLibrary: sharedLibraryName(t, "NAME"), aliases: t.aliases });
      expect(documents[i]!.bazelConstraints).toEqual([`@platforms//os:${t.bazelOs}`, `@platforms//cpu:${t.bazelCpus[0]}`]);
    });
  });
});

describe("--debug", () => {
  it("adds the stack trace to an error, which is one line without it", async () => {
    const args = ["describe", "--prefix", tempDir(), "--target", "mips"];
    const plain = await cli(args, cleanEnv(cache));
    expect(plain.exitCode).toBe(2);
    const line = expectOneLine(plain.stderr);
    expect(line).toContain("unknown target 'mips'");
    for (const where of [["--debug", ...args], [...args, "--debug"]]) {
      const debug = await cli(where, cleanEnv(cache));
      expect(debug.exitCode).toBe(2);
      expect(debug.stderr.startsWith(`${line}\n`)).toBe(true);
      expect(debug.stderr).toMatch(/\n {4}at .*\.c?js:\d+:\d+\)?\n/);
    }
  });
});
