// starlark/go/go_c_shared.sh as Bazel runs it. Issue 9 item 15: under bash 5.2, whose patsub_replacement makes an
// unquoted `&` in a ${var//pattern/replacement} replacement stand for the match. Bazel's output
// root lives under HOME, and either may hold a `&`. The script runs as Bazel runs it: with bash,
// from the execroot, placeholders in arguments and in the environment.
import { execFileSync, spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { goStdlibArgs } from "../../src/go/command.js";
import { ROOT, tempDir } from "../cli/helpers.js";
import { sharedCacheDir } from "../support/shared-caches.js";

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

  it("starts Go's cache from the standard-library seed as links, with its own trim.txt, and turns a missing vendored module into one line", () => {
    const execroot = join(tempDir(), "execroot");
    mkdirSync(join(execroot, "seed", "ab"), { recursive: true });
    mkdirSync(join(execroot, "mod"), { recursive: true });
    writeFileSync(join(execroot, "seed", "ab", "abcd-d"), "package data");
    writeFileSync(join(execroot, "seed", "trim.txt"), "1\n");
    const out = join(execroot, "seen");
    // A stand-in for go: reports what its cache holds, then fails as go does on a module whose
    // requirements are not vendored.
    writeFileSync(
      join(execroot, "go"),
      `#!/bin/sh\nls -l "$GOCACHE/ab" > ${out}.ls\ncat "$GOCACHE/trim.txt" > ${out}.trim\nprintf 'go: inconsistent vendoring in /x:\\n\\tgolang.org/x/text@v0.3.7: is explicitly required\\n' >&2\nexit 1\n`,
      { mode: 0o755 },
    );
    const run = spawnSync("bash", [SCRIPT, "--seed", "seed", "mod", "go", "build"], {
      cwd: execroot,
      env: { PATH: "/usr/bin:/bin", HOME: execroot, GOCACHE: "@@TMP@@/gocache" },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("go: the module of mod requires modules that are not vendored, and Bazel builds run offline: run 'go mod vendor' in the module and include vendor/ in srcs\n");
    expect(readFileSync(`${out}.ls`, "utf8")).toContain(`abcd-d -> ${execroot}/seed/./ab/abcd-d`);
    expect(Number(readFileSync(`${out}.trim`, "utf8"))).toBeGreaterThan(Date.now() / 1000 - 3600);
    expect(lstatSync(join(execroot, "seed", "trim.txt")).isFile()).toBe(true);
    expect(readFileSync(join(execroot, "seed", "trim.txt"), "utf8")).toBe("1\n");
  });

  // With --@conda_bazel//go:stdlib_packages narrowing what the tests compile, this is where the
  // standard library's one embedding package meets a sandboxed GOROOT.
  it("with --copy-goroot-src, compiles the standard library's go:embed package (crypto/internal/nistec) from a GOROOT of links, as Bazel's sandbox lays it out", () => {
    const realGoroot = execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim();
    const execroot = join(tempDir(), "execroot");
    const goroot = join(execroot, "goroot");
    mkdirSync(join(execroot, "pkg"), { recursive: true });
    mkdirSync(goroot);
    // The sandbox's layout: real directories, every file a link to the input; as @conda//go:files
    // declares them, without the commands' sources.
    for (const entry of readdirSync(realGoroot)) {
      if (entry !== "src") symlinkSync(join(realGoroot, entry), join(goroot, entry));
    }
    const src = realpathSync(join(realGoroot, "src"));
    mkdirSync(join(goroot, "src"));
    execFileSync("cp", ["-R", "-s", ...readdirSync(src).filter((e) => e !== "cmd").map((e) => join(src, e)), join(goroot, "src")]);
    expect(lstatSync(join(goroot, "src", "crypto", "internal", "nistec", "p256_asm_table.bin")).isSymbolicLink()).toBe(true);
    // The standard-library action's own arguments; Go's cache of the run's go-build tests, which
    // may already hold packages compiled with the same flags (by hand, with one go-build before it:
    // 5.5 s instead of 10.5 s).
    const env = { PATH: "/usr/bin:/bin", HOME: execroot, GOROOT: "@@EXECROOT@@/goroot", GOCACHE: join(sharedCacheDir(), "go", "build"), CGO_ENABLED: "1" };
    const list = (...flags: string[]) => spawnSync("bash", [SCRIPT, ...flags, "pkg", "goroot/bin/go", ...goStdlibArgs(), "crypto/internal/nistec"], { cwd: execroot, env, encoding: "utf8" });
    const linked = list();
    expect(linked.status).not.toBe(0);
    expect(linked.stderr).toMatch(/cannot embed irregular file p256_asm_table\.bin/);
    const copied = list("--copy-goroot-src");
    expect(copied.status, copied.stderr).toBe(0);
    expect(copied.stderr).toBe("");
  });
});
