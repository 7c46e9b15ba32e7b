// The README's command synopsis and exit-code table, checked against the CLI itself so the two
// cannot drift: each synopsis line is what `<command> --help` prints, each usage names exactly
// the flags the command parses, and each documented exit code is what a command exits with.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS, report } from "../../src/cli.js";
import { EXIT } from "../../src/errors.js";
import { cleanEnv, cli, expectOneLine, ROOT, standInPrefix, tempDir } from "./helpers.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const cache = tempDir("conda-bazel-cache-");

/** The indented `conda-bazel ...` lines of the README's "## Commands" section, by command. */
function synopsis(): Map<string, string> {
  const section = README.split(/^## Commands$/m)[1]!.split(/^## /m)[0]!;
  const lines = [...section.matchAll(/^ {4}conda-bazel (\S+)\s+(.*)$/gm)].filter(([, name]) => !name!.startsWith("--"));
  return new Map(lines.map(([, name, rest]) => [name!, `${name} ${rest!.trim()}`]));
}

/** The README's exit-code table: code to meaning. */
function exitCodeTable(): Map<number, string> {
  const section = README.split(/^### Exit codes$/m)[1]!.split(/^#/m)[0]!;
  return new Map([...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map(([, code, meaning]) => [Number(code), meaning!]));
}

describe("README: commands", () => {
  it("lists every command, each with the usage line its --help prints", async () => {
    const documented = synopsis();
    expect([...documented.keys()].sort()).toEqual(Object.keys(COMMANDS).sort());
    for (const [name, line] of documented) {
      const help = await cli([name, "--help"], cleanEnv(cache));
      expect(help.exitCode).toBe(0);
      expect(help.stdout.split("\n")[0], name).toBe(`Usage: conda-bazel ${line.replace(/\s+/g, " ")}`);
    }
  });

  it("names in each usage line exactly the long flags the command accepts", () => {
    for (const [name, spec] of Object.entries(COMMANDS)) {
      const inUsage = [...new Set([...spec.usage.split(" -- ")[0]!.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!))].sort();
      expect(inUsage, name).toEqual(Object.keys(spec.flags).sort());
    }
  });

  it("says in --help how to get the version and what the exit codes are", async () => {
    const help = await cli(["--help"], cleanEnv(cache));
    expect(help.exitCode).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    for (const [code] of exitCodeTable()) expect(help.stdout).toContain(`${code} `);
    const version = await cli(["--version"], cleanEnv(cache));
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version);
  });
});

describe("README: exit codes", () => {
  const table = exitCodeTable();

  it("documents exactly the codes the CLI uses", () => {
    expect([...table.keys()].sort()).toEqual(Object.values(EXIT).sort());
  });

  it("0: a command that succeeds", async () => {
    expect(table.get(0)).toMatch(/success/);
    expect((await cli(["targets"], cleanEnv(cache))).exitCode).toBe(0);
  });

  it("1: init --check finding drift", async () => {
    expect(table.get(1)).toContain("`init --check` found drift");
    const workspace = tempDir("conda-bazel-ws-");
    writeFileSync(join(workspace, "WORKSPACE"), "");
    const prefix = standInPrefix({ subdirs: ["linux-64"] });
    const check = await cli(["init", "--workspace", workspace, "--prefix", prefix, "--check"], cleanEnv(cache));
    expect(check.exitCode).toBe(1);
  });

  it("2: an unknown command, an unknown flag, an unknown target", async () => {
    expect(table.get(2)).toMatch(/bad usage/);
    const unknown = await cli(["frobnicate"], cleanEnv(cache));
    expect(unknown.exitCode).toBe(2);
    expect(expectOneLine(unknown.stderr)).toBe("conda-bazel: unknown command 'frobnicate' (run 'conda-bazel --help' for the list of commands)");
    expect((await cli(["targets", "--frob"], cleanEnv(cache))).exitCode).toBe(2);
    expect((await cli(["describe", "--prefix", tempDir(), "--target", "mips"], cleanEnv(cache))).exitCode).toBe(2);
  });

  it("3: an internal error, one line, with the stack only under --debug", () => {
    expect(table.get(3)).toMatch(/internal error/);
    const writes: string[] = [];
    const write = (text: string) => void writes.push(text);
    expect(report(new TypeError("x is undefined"), false, write)).toBe(3);
    expect(writes.join("")).toBe("conda-bazel: internal error: x is undefined (rerun with --debug for the stack trace, and report it)\n");
    writes.length = 0;
    expect(report(new TypeError("x is undefined"), true, write)).toBe(3);
    expect(writes.join("")).toMatch(/\n {4}at /);
  });
});
