// go-build runs `conda-bazel check` on each library it builds, records the outcome in
// manifest.json and fails the run on a finding, naming the file and the fix.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, cli, ROOT, standInPrefix, tempDir } from "../cli/helpers.js";
import { sharedCacheDir } from "../support/shared-caches.js";

const PLANTED = join(ROOT, "test", "go", "fixtures", "planted");
const HOST = "x86_64-unknown-linux-gnu";
const AARCH64 = "aarch64-unknown-linux-gnu";

interface Entry {
  target: string;
  status: string;
  files: { path: string }[];
  check?: { glibc: string | null; findings: { check: string; problem: string; fix: string }[] };
}

describe("go-build checks what it built", () => {
  it("records a temp-dir RUNPATH and an executable stack on amd64, a clean arm64 library, and exits 1", async () => {
    const prefix = standInPrefix({ subdirs: ["linux-64", "linux-aarch64"] });
    const out = join(tempDir(), "dist");
    const result = await cli(["go-build", PLANTED, "--prefix", prefix, "--out", out, "--target", "linux-64,linux-aarch64"], cleanEnv(sharedCacheDir()));
    expect(result.exitCode, result.stderr).toBe(1);
    const library = join(out, HOST, "libplanted.so");
    const lines = result.stderr.split("\n");
    expect(lines).toContain(
      `conda-bazel: go-build ${HOST}: ${library}: RUNPATH entry '/tmp/conda-bazel-planted/lib' is in the temp dir /tmp, a build path that does not exist where the package is installed (fix: use $ORIGIN-relative paths or the install prefix in -Wl,-rpath)`,
    );
    expect(lines).toContain(`conda-bazel: go-build ${HOST}: ${library}: has an executable stack (PT_GNU_STACK with PF_X) (fix: link with -Wl,-z,noexecstack and give assembly sources a .note.GNU-stack section)`);
    expect(lines).toContain(`conda-bazel: go-build: 2 targets built into ${out}, with 2 check findings`);

    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { targets: Entry[] };
    const [host, arm] = manifest.targets;
    // Built and in place, but not fit to ship: the manifest says why.
    expect(host!.status).toBe("ok");
    expect(Object.keys(host!)).toEqual(["target", "status", "goos", "goarch", "goVersion", "compiler", "files", "check", "durationSeconds"]);
    expect(host!.check!.glibc).toBe("2.36");
    expect(host!.check!.findings.map((f) => f.check)).toEqual(["rpath", "execstack"]);
    expect(arm!.target).toBe(AARCH64);
    expect(arm!.check).toEqual({ glibc: "2.36", findings: [] });
  }, 240_000);
});
