// Issue 9 item 8: conda-bazel's cache can only make a run faster, never change its result. An
// attacker who can write the cache (a shared CI cache) edits entries; a caller's compiler
// variables and buildifier configuration must not reach cached or generated results.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, cli, standInPrefix, tempDir } from "../cli/helpers.js";
import { filesUnder } from "../support/tree.js";

let prefix: string;
let reference: string;

const describeJson = async (cache: string, extra: Record<string, string> = {}) => {
  const run = await cli(["describe", "--prefix", prefix, "--json"], cleanEnv(cache, extra));
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout;
};

const entries = (cache: string, kind: string) => readdirSync(cache).filter((n) => n.startsWith(`${kind}-`));

beforeAll(async () => {
  prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"], python: false });
  reference = await describeJson(tempDir());
});

describe("edited cache entries", () => {
  it("an environment entry rewritten to name another compiler changes nothing", async () => {
    const cache = tempDir();
    await describeJson(cache);
    const [entry] = entries(cache, "environment");
    expect(entry, "describe remembers the validated document").toBeDefined();
    const evil = join(tempDir(), "evil-cc");
    writeFileSync(evil, "#!/bin/sh\ntouch \"$0.ran\"\n", { mode: 0o755 });
    const forged = JSON.parse(reference) as { toolchains: { cc: string }[] };
    for (const toolchain of forged.toolchains) toolchain.cc = evil;
    writeFileSync(join(cache, entry!), JSON.stringify(forged));
    expect(await describeJson(cache)).toBe(reference);
  });

  it("a probe entry with another compiler's facts, or an include directory edited, is probed again", async () => {
    const cache = tempDir();
    await describeJson(cache);
    const probes = entries(cache, "probe").map((name) => ({ name, entry: JSON.parse(readFileSync(join(cache, name), "utf8")) as { identity: string; facts: { builtinIncludeDirectories: string[] } } }));
    expect(probes.length).toBe(2);
    const [a, b] = probes as [(typeof probes)[0], (typeof probes)[0]];
    // The aarch64 compiler's facts under the x86_64 compiler's name, and the reverse.
    writeFileSync(join(cache, a.name), JSON.stringify(b.entry));
    const b2 = { ...b.entry, facts: { ...b.entry.facts, builtinIncludeDirectories: [...b.entry.facts.builtinIncludeDirectories, "/nonexistent/include"] } };
    writeFileSync(join(cache, b.name), JSON.stringify(b2));
    expect(await describeJson(cache)).toBe(reference);
  });

  it("an activation entry rewritten to name a compiler outside the env is not followed", async () => {
    const cache = tempDir();
    await describeJson(cache);
    const evilDir = tempDir();
    const activations = entries(cache, "activation");
    expect(activations.length).toBeGreaterThan(0);
    for (const name of activations) {
      const entry = JSON.parse(readFileSync(join(cache, name), "utf8")) as { values: Record<string, string> };
      for (const variable of ["CC", "CXX"]) {
        const tool = entry.values[variable];
        if (!tool) continue;
        // Same file name, so the triplet still matches; only the directory is the attacker's.
        const evil = join(evilDir, basename(tool));
        writeFileSync(evil, "#!/bin/sh\ntouch \"$0.ran\"\n", { mode: 0o755 });
        entry.values[variable] = evil;
      }
      writeFileSync(join(cache, name), JSON.stringify(entry));
    }
    const result = await describeJson(cache);
    expect(result).not.toContain(evilDir);
    expect(JSON.parse(result)).toEqual(JSON.parse(reference));
    expect(readdirSync(evilDir).filter((n) => n.endsWith(".ran"))).toEqual([]);
  });

  it("an entry replaced by a FIFO is a miss, not a hang", async () => {
    const cache = tempDir();
    await describeJson(cache);
    for (const name of entries(cache, "probe")) {
      rmSync(join(cache, name));
      execFileSync("mkfifo", [join(cache, name)]);
    }
    expect(await describeJson(cache)).toBe(reference);
  });
});

describe("the caller's environment", () => {
  it("GCC_EXEC_PREFIX and include-path variables neither change the first probe nor later clean runs", async () => {
    // A complete gcc exec prefix of its own with an include directory: gcc searches it when told to.
    const version = execFileSync("gcc", ["-dumpversion"], { encoding: "utf8" }).trim();
    const machine = execFileSync("gcc", ["-dumpmachine"], { encoding: "utf8" }).trim();
    const real = join("/usr/lib/gcc", machine, version);
    const gep = tempDir();
    const dir = join(gep, machine, version);
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(real)) if (name !== "include") symlinkSync(join(real, name), join(dir, name));
    mkdirSync(join(dir, "include"));
    const extra = tempDir();
    const cache = tempDir();
    const polluted = await describeJson(cache, { GCC_EXEC_PREFIX: `${gep}/`, CPATH: extra, C_INCLUDE_PATH: extra, CPLUS_INCLUDE_PATH: extra, COMPILER_PATH: extra, LIBRARY_PATH: extra });
    expect(polluted).not.toContain(gep);
    expect(polluted).toBe(reference);
    expect(await describeJson(cache)).toBe(reference);
  });

  it("buildifier's configuration (BUILDIFIER_CONFIG, a committed .buildifier.json) does not change generated files", async () => {
    const cache = tempDir();
    const init = async (ws: string, env: Record<string, string> = {}) => {
      const run = await cli(["init", "--prefix", prefix, "--workspace", ws], cleanEnv(cache, env), ws);
      expect(run.exitCode, run.stderr).toBe(0);
      return Object.fromEntries(filesUnder(ws).filter((p) => !p.includes(".buildifier") && !p.endsWith("tables.json")).map((p) => [p, readFileSync(join(ws, p), "utf8")]));
    };
    const clean = tempDir();
    writeFileSync(join(clean, "WORKSPACE"), "");
    const expected = await init(clean);

    const hostile = tempDir();
    writeFileSync(join(hostile, "WORKSPACE"), "");
    // Tables that sort `name` last and keep lists unsorted: visible in every generated BUILD file.
    writeFileSync(join(hostile, "tables.json"), JSON.stringify({ IsSortableListArg: {}, NamePriority: { name: 100 } }));
    writeFileSync(join(hostile, ".buildifier.json"), JSON.stringify({ tables: join(hostile, "tables.json") }));
    const config = join(tempDir(), "config.json");
    writeFileSync(config, JSON.stringify({ mode: "check" }));
    const got = await init(hostile, { BUILDIFIER_CONFIG: config });
    expect(Object.keys(got)).toEqual(Object.keys(expected));
    for (const [path, text] of Object.entries(expected)) expect(got[path]?.replaceAll(basename(hostile), basename(clean)), path).toBe(text);
    // The records init keeps of buildifier's runs (src/generate/formatted.ts) are digests of its
    // output, shared by both workspaces here: a record from one config cannot bring text into another.
    for (const name of entries(cache, "buildifier")) expect(Object.keys(JSON.parse(readFileSync(join(cache, name), "utf8")))).toEqual(["output"]);
  });
});
