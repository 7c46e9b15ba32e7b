// The c-shared table agrees with the Go on this machine, pair by pair.
import { execa } from "execa";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { cSharedSupported } from "../../src/go/c-shared.js";
import { tempDir } from "../cli/helpers.js";

it("says a pair can build c-shared exactly when go build -buildmode=c-shared accepts it", async () => {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, GOTOOLCHAIN: "local", GOENV: "off", GOFLAGS: "", CGO_ENABLED: "1" };
  const version = (await execa("go", ["env", "GOVERSION"], { env, extendEnv: false })).stdout.replace(/^go/, "");
  const pairs = JSON.parse((await execa("go", ["tool", "dist", "list", "-json"], { env, extendEnv: false })).stdout) as { GOOS: string; GOARCH: string; CgoSupported: boolean }[];
  const dir = tempDir("c-shared-");
  writeFileSync(join(dir, "go.mod"), "module tiny\n\ngo 1.19\n");
  writeFileSync(join(dir, "main.go"), "package main\n\nfunc main() {}\n");
  const checks = pairs.filter((p) => p.CgoSupported).map(async ({ GOOS, GOARCH }) => {
    // -n plans the build without running it: enough for go to accept or refuse the build mode.
    const run = await execa("go", ["build", "-n", "-buildmode=c-shared", "-o", join(dir, "x"), "."], { cwd: dir, env: { ...env, GOOS, GOARCH, GOCACHE: join(dir, "cache") }, extendEnv: false, reject: false });
    const refused = /-buildmode=c-shared not supported/.test(run.stderr);
    return [`${GOOS}/${GOARCH}`, !refused] as const;
  });
  for (const [pair, accepted] of await Promise.all(checks)) {
    const [goos, goarch] = pair.split("/") as [string, string];
    expect(cSharedSupported(version, goos, goarch), pair).toBe(accepted);
  }
});
