// conda's clang as the cc toolchain in a real Bazel 4.2.3 build: an env with both gcc and clang
// for linux-64 and linux-aarch64 (the stand-in's Debian clang 14 under the conda names), init
// --compiler clang, then one build for the host that runs and one for aarch64 that runs under
// qemu, both compiled and linked by the clang drivers. The repository rule's describe runs in
// Bazel's environment, so it only picks clang through init's pin in .bazelrc.conda.
import { execa } from "execa";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";
import { cleanEnv, cli, tempDir } from "../cli/helpers.js";
import { Bazel, offlineRepositories, requireBazel } from "../support/bazel.js";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { writeWorkspace } from "../support/bazel-offline.mjs";

const HOST = "x86_64-unknown-linux-gnu";
const AARCH64 = "aarch64-unknown-linux-gnu";

describe("clang toolchains from a conda env in Bazel 4.2.3", () => {
  requireBazel();
  const root = tempDir("conda-bazel-clang-");
  const prefix = join(root, "env");
  const ws = join(root, "ws");
  let bazel: Bazel;

  beforeAll(async () => {
    buildStandInPrefix(prefix, { subdirs: ["linux-64", "linux-aarch64"], clang: ["linux-64", "linux-aarch64"], go: "none", filler: 2 });
    writeWorkspace(ws);
    const init = await cli(["init", "--prefix", prefix, "--workspace", ws, "--compiler", "clang"], cleanEnv(join(root, "cache")));
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toContain(`${HOST}: clang, chosen by --compiler`);
    bazel = new Bazel(ws, join(root, "out"), offlineRepositories(join(root, "offline")));
  });

  afterAll(async () => {
    await bazel?.shutdown();
  });

  it("builds a host cc_binary that runs, and an aarch64 one that runs under qemu, with the clang drivers", async () => {
    // -s: the command lines, to see which driver compiled and linked.
    const host = await bazel.ok("build", ["-s", "//app:hello"]);
    const binary = join(ws, "bazel-bin", "app", "hello");
    expect((await execa(binary)).stdout).toBe("hello from conda");
    expect(host.stderr).toContain(`external/conda/${HOST}/prefix/bin/x86_64-conda-linux-gnu-clang `);
    expect(host.stderr).not.toContain("x86_64-conda-linux-gnu-cc ");
    expect(host.stderr).not.toContain("-fno-canonical-system-headers");

    const cross = await bazel.ok("build", ["-s", `--config=${AARCH64}`, "//app:hello"]);
    expect(cross.stderr).toContain(`external/conda/${AARCH64}/prefix/bin/aarch64-conda-linux-gnu-clang `);
    expect((await execa("file", ["-b", binary])).stdout).toMatch(/ARM aarch64/);
    expect((await execa("qemu-aarch64", ["-L", "/usr/aarch64-linux-gnu", binary])).stdout).toBe("hello from conda");

    const outputBase = await bazel.outputBase();
    const config = readFileSync(join(outputBase, "external", "conda", AARCH64, "BUILD.bazel"), "utf8");
    expect(config).toContain('compiler = "clang"');
  }, 600_000);
});
