// Issue 9 item 15: starlark/go/go_c_shared.sh under bash 5.2, whose patsub_replacement makes an
// unquoted `&` in a ${var//pattern/replacement} replacement stand for the match. Bazel's output
// root lives under HOME, and either may hold a `&`. The script runs as Bazel runs it: with bash,
// from the execroot, placeholders in arguments and in the environment.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../cli/helpers.js";

const SCRIPT = join(ROOT, "starlark", "go", "go_c_shared.sh");

describe("go_c_shared.sh", () => {
  it("puts an execroot and a temp dir holding '&' into arguments and variables literally", () => {
    const version = execFileSync("bash", ["-c", "echo ${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}"], { encoding: "utf8" }).trim();
    expect(Number(version), `bash ${version}: the test needs patsub_replacement (5.2+)`).toBeGreaterThanOrEqual(5.2);
    const home = join(tempDir(), "R&D home");
    const execroot = join(home, ".cache", "bazel", "_bazel_me", "a&b", "execroot", "ws");
    mkdirSync(join(execroot, "pkg"), { recursive: true });
    // A stand-in for go: prints what it was given.
    writeFileSync(join(execroot, "go"), '#!/bin/sh\nprintf "%s\\n" "$@" "CC=$CC" "GOCACHE=$GOCACHE"\n', { mode: 0o755 });
    const tmp = join(home, "tmp&");
    mkdirSync(tmp);
    const output = execFileSync("bash", [SCRIPT, "pkg", "go", "-o", "@@EXECROOT@@/out/libx.so", "-pkg=@@TMP@@/p"], {
      cwd: execroot,
      env: { PATH: "/usr/bin:/bin", HOME: home, TMPDIR: tmp, CC: "@@EXECROOT@@/external/cc", GOCACHE: "@@TMP@@/cache" },
      encoding: "utf8",
    });
    const lines = output.trimEnd().split("\n");
    expect(lines[0]).toBe("-o");
    expect(lines[1]).toBe(`${execroot}/out/libx.so`);
    expect(lines[2]).toMatch(new RegExp(`^-pkg=${tmp.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/tmp\\.[^/]+/p$`));
    expect(lines[3]).toBe(`CC=${execroot}/external/cc`);
    expect(lines[4]).toMatch(/^GOCACHE=.*\/R&D home\/tmp&\/tmp\.[^/]+\/cache$/);
  });
});
