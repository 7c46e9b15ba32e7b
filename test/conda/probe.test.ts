import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseIncludeDirectories } from "../../src/conda/probe.js";

describe("builtin include directories", () => {
  it("are the <...> search list, normalised, framework suffix dropped, quote list ignored", () => {
    const output = [
      "ignoring nonexistent directory \"/nowhere\"",
      '#include "..." search starts here:',
      " /quoted/only",
      "#include <...> search starts here:",
      " /opt/env/lib/gcc/x86_64-conda-linux-gnu/13.2.0/../../../../x86_64-conda-linux-gnu/include/c++/13.2.0",
      " /opt/env/x86_64-conda-linux-gnu/sysroot/usr/include",
      " /Library/Frameworks (framework directory)",
      "End of search list.",
      " /after/the/end",
    ].join("\n");
    expect(parseIncludeDirectories(output)).toEqual([
      "/opt/env/x86_64-conda-linux-gnu/include/c++/13.2.0",
      "/opt/env/x86_64-conda-linux-gnu/sysroot/usr/include",
      "/Library/Frameworks",
    ]);
  });

  it("parse what the real gcc prints", () => {
    const run = spawnSync("aarch64-linux-gnu-gcc", ["-E", "-x", "c", "-", "-v"], { input: "", encoding: "utf8", env: { PATH: process.env.PATH, LC_ALL: "C" } });
    if (run.status !== 0) throw new Error(`aarch64-linux-gnu-gcc did not run: ${run.error?.message ?? run.stderr}`);
    const stderr = run.stderr;
    const dirs = parseIncludeDirectories(stderr);
    expect(dirs.length).toBeGreaterThanOrEqual(2);
    for (const d of dirs) expect(existsSync(d), d).toBe(true);
    expect(dirs).toContain("/usr/aarch64-linux-gnu/include");
  });
});
