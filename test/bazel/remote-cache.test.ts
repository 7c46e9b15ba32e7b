// init.remoteCache against a real HTTP cache server (nginx with WebDAV PUT, as Bazel's
// remote-caching docs set it up), with the example monorepo and real Bazel 4.2.3: CI fills the
// cache with --config=ci; a developer's checkout at another path, with a copy of the env at
// another path, another PATH, HOME and output root and no disk cache, takes every action from it
// and uploads nothing; with the server gone, a build still succeeds. The developer builds without
// the bytes (--remote_download_toplevel, as a developer's .bazelrc would set it): only the
// top-level targets' outputs come down, not the intermediate ones (the Go standard library's
// build cache alone is ~100 MB); every output compared with CI's is top-level, and so is every
// input of cprog's compile and link that a local rebuild needs with the server gone (Bazel 4
// fetches a missing input from the cache before a local action, which a stopped server cannot
// serve). The builds are shared
// between the `it`s, in order, so that each one runs once. For aarch64 the builds cover a C
// library with no Go below it (xlib/, written into CI's checkout): a cross Go action differs from
// the host's only in GOARCH and the compiler it names, and the host's leg proves its relocation,
// so the suite compiles Go's standard library for aarch64 elsewhere (clib's dependency on the Go
// library would cost a cross standard-library compile here).
// This file reads no cache but the server, since it asserts what runs: CI's builds accept no
// cached result (--noremote_accept_cached). They also write what they run into the run's shared
// disk cache (test/support/shared-caches.ts), where the demo and go-bazel-module, which start
// later, find the host's standard library: the env's Go is laid out as the demo's for that, since
// the go command is part of that action's key.
import { execa } from "execa";
import { createHash } from "node:crypto";
import { appendFileSync, copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { buildStandInPrefix } from "../../scripts/stand-in-prefix.mjs";
import { cleanEnv, cli, ROOT, tempDir } from "../cli/helpers.js";
import { Bazel, offlineRepositories, processCounts, requireBazel } from "../support/bazel.js";
import { sharedDiskCache } from "../support/shared-caches.js";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { startHttpCache } from "../support/http-cache.mjs";

const AARCH64 = "aarch64-unknown-linux-gnu";
// //clib:stats is top-level so that its archive is among the developer's downloads (compared
// with CI's, and an input of cprog's link when the server is gone).
const HOST_TARGETS = ["//:golib", "//clib:stats", "//cprog", "//pyprog"];
// CI's builds: the committed --config=ci, and no cached result taken from the run's shared disk
// cache, which they fill (see above).
const CI = ["--config=ci", "--noremote_accept_cached"];
// The developer's builds download only top-level outputs.
const TOPLEVEL = "--remote_download_toplevel";
// The edit's and the stopped server's builds of cprog: its libraries top-level too, so that they
// are on disk for a local link when the server is gone.
const CPROG = ["//:golib", "//clib:stats", "//cprog"];
// The C-only library of the aarch64 leg, in CI's checkout and so in the developer's.
const CROSS_PACKAGE: Record<string, string> = {
  "xlib/BUILD.bazel": 'load("@rules_cc//cc:defs.bzl", "cc_library")\n\ncc_library(\n    name = "mean",\n    srcs = ["mean.c"],\n)\n',
  "xlib/mean.c": "long mean(const long *values, long n) {\n    long sum = 0;\n    for (long i = 0; i < n; i++) sum += values[i];\n    return n ? sum / n : 0;\n}\n",
};
const CROSS_TARGETS = ["//xlib:mean"];
// What the compile, link and Go actions leave in bazel-bin, compared byte for byte.
const HOST_OUTPUTS = ["libgolib.so", "libgolib.h", "cprog/cprog", "clib/libstats.a"];
const CROSS_OUTPUTS = ["xlib/libmean.a"];

interface HttpCache {
  url: string;
  entries(): number;
  stop(): Promise<void>;
}

type Build = { counts: Record<string, number>; digests: Record<string, string>; stderr: string };

/** Actions Bazel ran itself (in a sandbox or not): everything but internal ones and cache hits. */
function executed(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([kind]) => kind !== "internal" && !kind.endsWith("cache hit")));
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

function digests(ws: string, outputs: string[]): Record<string, string> {
  return Object.fromEntries(outputs.map((f) => [f, createHash("sha256").update(readFileSync(join(ws, "bazel-bin", f))).digest("hex")]));
}

/** Copies a checkout as git would: without Bazel's convenience links and the machine-local rc. */
function checkout(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (src) => !/\/bazel-[^/]*$|\/dist$|\.bazelrc\.conda$/.test(src) });
}

describe("init.remoteCache with a real HTTP cache: CI fills it, a developer's relocated checkout hits it", () => {
  requireBazel();
  const dir = tempDir("conda-bazel-remote-cache-");
  const probeCache = join(dir, "probe-cache");
  const offline = offlineRepositories(join(dir, "offline"));
  const ciWs = join(dir, "ci", "monorepo");
  const devWs = join(dir, "dev", "work", "monorepo");
  let cache: HttpCache;
  let ci: Bazel;
  let dev: Bazel;
  const built: Record<string, Build> = {};

  async function build(bazel: Bazel, name: string, args: string[], outputs: string[]): Promise<Build> {
    const result = await bazel.ok("build", args);
    const counts = processCounts(result.stderr);
    process.stderr.write(`remote-cache ${name}: ${JSON.stringify(counts)}\n`);
    return (built[name] = { counts, digests: digests(bazel.workspace, outputs), stderr: result.stderr });
  }

  beforeAll(async () => {
    cache = (await startHttpCache(join(dir, "nginx"))) as HttpCache;
    const prefix = join(dir, "env");
    buildStandInPrefix(prefix, { goLayout: "cross" });
    checkout(join(ROOT, "examples", "monorepo"), ciWs);
    for (const [path, text] of Object.entries(CROSS_PACKAGE)) {
      mkdirSync(join(ciWs, path, ".."), { recursive: true });
      writeFileSync(join(ciWs, path), text);
    }
    const configFile = join(ciWs, "conda-bazel.yaml");
    const config = parse(readFileSync(configFile, "utf8")) as { init: object };
    writeFileSync(configFile, stringify({ ...config, init: { ...config.init, remoteCache: cache.url } }));
    const init = await cli(["init", "--prefix", prefix], cleanEnv(probeCache), ciWs);
    expect(init.exitCode, init.stderr).toBe(0);
    ci = new Bazel(ciWs, join(dir, "ci-root"), offline, { diskCache: sharedDiskCache() });

    // The developer: the committed files of CI's checkout, the env copied elsewhere (a space in
    // its path), another HOME and PATH, its own output root.
    checkout(ciWs, devWs);
    const devPrefix = join(dir, "dev", "conda envs", "env");
    cpSync(prefix, devPrefix, { recursive: true, verbatimSymlinks: true });
    const devInit = await cli(["init", "--prefix", devPrefix, "--json"], cleanEnv(probeCache), devWs);
    expect(devInit.exitCode, devInit.stderr).toBe(0);
    // Only the machine-local rc differs between the two checkouts: the cache setting is committed.
    const changed = (JSON.parse(devInit.stdout) as { files: { path: string; action: string }[] }).files.filter((f) => f.action !== "unchanged");
    expect(changed.map((f) => f.path)).toEqual([".bazelrc.conda"]);
    const home = join(dir, "dev", "home");
    mkdirSync(join(home, "bin"), { recursive: true });
    dev = new Bazel(devWs, join(dir, "dev", "bazel-root"), offline, { env: { PATH: `${home}/bin:/usr/local/bin:/usr/bin:/bin`, HOME: home } });
  });

  afterAll(async () => {
    await cache?.stop();
    await ci?.shutdown();
    await dev?.shutdown();
  });

  it("writes the cache into the committed .bazelrc block, read-only unless --config=ci", () => {
    const rc = readFileSync(join(ciWs, ".bazelrc"), "utf8");
    expect(rc).toContain(`build --remote_cache=${cache.url}\nbuild --noremote_upload_local_results\nbuild:ci --remote_upload_local_results\n`);
    expect(readFileSync(join(ciWs, ".bazelrc.conda"), "utf8")).not.toContain("--remote");
  });

  it("CI's build with --config=ci, for the host and aarch64, runs every action and uploads the results", async () => {
    const before = cache.entries();
    const host = await build(ci, "ci host", [...CI, ...HOST_TARGETS], HOST_OUTPUTS);
    const cross = await build(ci, "ci aarch64", [...CI, `--config=${AARCH64}`, ...CROSS_TARGETS], CROSS_OUTPUTS);
    for (const { counts } of [host, cross]) expect(counts["remote cache hit"] ?? 0).toBe(0);
    // Go, two compiles of C and the link of cprog at least; the compile and archive of xlib.
    expect(total(executed(host.counts))).toBeGreaterThanOrEqual(4);
    expect(total(executed(cross.counts))).toBeGreaterThanOrEqual(2);
    expect(cache.entries()).toBeGreaterThan(before);
    // The cross leg's object is aarch64 code, as the real readelf reads the archive's member.
    const { stdout: header } = await execa("readelf", ["--file-header", join(ciWs, "bazel-bin", "xlib", "libmean.a")]);
    expect(header).toMatch(/Machine:\s+AArch64/);
    await ci.shutdown(); // CI's part is done: one Bazel server less on a small machine
  });

  it("serves every compile, link and Go action of the developer's build from the server, with the same bytes, uploading nothing", async () => {
    const entries = cache.entries();
    const host = await build(dev, "dev host", [TOPLEVEL, ...HOST_TARGETS], HOST_OUTPUTS);
    const cross = await build(dev, "dev aarch64", [TOPLEVEL, `--config=${AARCH64}`, ...CROSS_TARGETS], CROSS_OUTPUTS);
    for (const { counts } of [host, cross]) expect(executed(counts)).toEqual({});
    // As many hits as CI ran actions: Go (GoCShared), the compiles of C and the link of cprog on
    // the host; the compile and archive of xlib for aarch64.
    expect(host.counts["remote cache hit"]).toBeGreaterThanOrEqual(4);
    expect(cross.counts["remote cache hit"]).toBeGreaterThanOrEqual(2);
    expect(host.digests).toEqual(built["ci host"]!.digests);
    expect(cross.digests).toEqual(built["ci aarch64"]!.digests);
    expect(cache.entries()).toBe(entries);
  });

  it("builds a developer's local edit locally and leaves the shared cache as it was", async () => {
    const entries = cache.entries();
    // Code, not a comment: a comment leaves main.o as it was, and Bazel would not relink.
    appendFileSync(join(devWs, "cprog", "main.c"), "int cprog_local_edit(void) { return 1; }\n");
    const edit = await build(dev, "dev edit", [TOPLEVEL, ...CPROG], ["cprog/cprog"]);
    // The compile of main.c and the link of cprog.
    expect(total(executed(edit.counts))).toBeGreaterThanOrEqual(2);
    expect(cache.entries()).toBe(entries);
  });

  it("with the server stopped, still builds, with Bazel's warning, compiling and linking locally to the bytes CI built", async () => {
    await cache.stop();
    // Back to CI's main.c: its compile and cprog's link run again, and the cache cannot serve them.
    copyFileSync(join(ciWs, "cprog", "main.c"), join(devWs, "cprog", "main.c"));
    const offlineBuild = await build(dev, "dev server stopped", [TOPLEVEL, ...CPROG], ["cprog/cprog"]);
    expect(offlineBuild.counts["remote cache hit"] ?? 0).toBe(0);
    expect(total(executed(offlineBuild.counts))).toBeGreaterThanOrEqual(2);
    expect(offlineBuild.stderr).toMatch(/^WARNING: Reading from Remote Cache:\n.*Connection refused/m);
    expect(offlineBuild.digests["cprog/cprog"]).toEqual(built["ci host"]!.digests["cprog/cprog"]);
    const run = await execa(join(devWs, "bazel-bin", "cprog", "cprog"), [], { reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain("Add(40, 2) = 42");
  });
});
