// init.remoteCache as a user meets it: the lines init writes into the committed .bazelrc, and
// the one-line refusals (exit 2, nothing written) of a URL that would leak a secret or that
// Bazel cannot use. The cache itself, with a real server and Bazel: test/bazel/remote-cache.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, cli, expectOneLine, standInPrefix, tempDir } from "../cli/helpers.js";
import { tree, workspace } from "./helpers.js";

const cache = tempDir("conda-bazel-cache-");
const prefix = standInPrefix({ subdirs: ["linux-64"] });

async function init(remoteCache: string) {
  const ws = workspace({ WORKSPACE: "", "conda-bazel.yaml": `init:\n  remoteCache: ${JSON.stringify(remoteCache)}\n` });
  const before = tree(ws);
  const result = await cli(["init", "--prefix", prefix], cleanEnv(cache), ws);
  return { ws, before, result };
}

describe("init.remoteCache", () => {
  it("writes the cache, read-only, and a ci config that uploads, into the committed block; a second init changes nothing", async () => {
    const { ws, result } = await init("grpcs://cache.example.com:443/team's");
    expect(result.exitCode, result.stderr).toBe(0);
    const rc = readFileSync(join(ws, ".bazelrc"), "utf8");
    // Escaped as every rc value is: Bazel's rc tokenizer would take the quote as the start of a string.
    expect(rc).toContain("build --remote_cache=grpcs://cache.example.com:443/team\\'s\nbuild --noremote_upload_local_results\nbuild:ci --remote_upload_local_results\n");
    expect(readFileSync(join(ws, ".bazelrc.conda"), "utf8")).not.toContain("--remote");
    const written = tree(ws);
    const again = await cli(["init", "--prefix", prefix], cleanEnv(cache), ws);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(tree(ws)).toEqual(written);
  });

  it("writes no cache line without the key", async () => {
    const ws = workspace();
    const result = await cli(["init", "--prefix", prefix], cleanEnv(cache), ws);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(join(ws, ".bazelrc"), "utf8")).not.toContain("remote");
  });

  it.each([
    ["https://ci:s3cret@cache.example.com/", /init\.remoteCache: carries credentials \(user:password@\).*--remote_header=Authorization=.*~\/\.netrc/],
    ["https://cache.example.com/?token=s3cret", /init\.remoteCache: carries a query string or fragment \(where tokens go\).*--credential_helper/],
    ["ftp://cache.example.com/", /init\.remoteCache: scheme ftp is not one Bazel's remote cache speaks \(use http:\/\/, https:\/\/, grpc:\/\/ or grpcs:\/\/\)/],
    ["cache.example.com:443", /init\.remoteCache: scheme cache\.example\.com is not one/],
    ["not a url", /init\.remoteCache: contains whitespace or a control character/],
  ])("refuses %s with one line naming the fix, exit 2, and writes nothing", async (url, message) => {
    const { ws, before, result } = await init(url);
    expect(result.exitCode).toBe(2);
    const line = expectOneLine(result.stderr);
    expect(line).toMatch(message);
    expect(line).not.toContain("s3cret");
    expect(tree(ws)).toEqual(before);
  });
});
