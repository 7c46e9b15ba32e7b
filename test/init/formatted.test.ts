// A no-change init does not run buildifier again: the user's cache directory records what went
// into buildifier and what came out, and a file or block on disk with the recorded output is used
// as it is (src/generate/formatted.ts). The record can only stand in for buildifier's own output:
// an edited block is formatted again, nothing in the checkout can vouch for it, and `init --check`
// never relies on a record.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { cleanEnv, cli, standInPrefix, tempDir } from "../cli/helpers.js";
import { workspace } from "./helpers.js";

// A line of the WORKSPACE block, and the same call as buildifier would never leave it.
const FORMATTED = 'register_toolchains("@conda//:all")';
const EDITED = "register_toolchains( '@conda//:all' )";

let prefix: string;

beforeAll(() => {
  prefix = standInPrefix({ subdirs: ["linux-64"] });
});

const init = (ws: string, cache: string, args: string[] = []) => cli(["init", "--prefix", prefix, "--workspace", ws, ...args], cleanEnv(cache));
const read = (ws: string, path: string) => readFileSync(join(ws, path), "utf8");
const digest = (text: string) => createHash("sha256").update(text).digest("hex");
const records = (cache: string) => readdirSync(cache).filter((n) => /^buildifier-[0-9a-f]{64}\.json$/.test(n));

/** The block's lines as the record digests them: between the markers, each ending with a newline. */
function block(text: string): string {
  const lines = text.split("\n");
  const begin = lines.findIndex((l) => l.startsWith("# BEGIN conda-bazel"));
  const end = lines.findIndex((l) => l === "# END conda-bazel");
  return lines.slice(begin + 1, end).map((l) => `${l}\n`).join("");
}

it("records the WORKSPACE block's formatting in the user's cache, not the checkout, and a no-change init changes nothing", async () => {
  const ws = workspace();
  const cache = tempDir();
  expect((await init(ws, cache)).exitCode).toBe(0);
  const outputs = records(cache).map((n) => JSON.parse(readFileSync(join(cache, n), "utf8")).output);
  expect(outputs).toContain(digest(block(read(ws, "WORKSPACE"))));
  expect(read(ws, "third_party/conda_bazel/.conda-bazel-manifest")).not.toMatch(/[0-9a-f]{64}/);
  const again = await init(ws, cache);
  expect(again.stdout).not.toMatch(/created|updated|deleted/);
});

it("formats an edited block again instead of keeping it", async () => {
  const ws = workspace();
  const cache = tempDir();
  await init(ws, cache);
  const formatted = read(ws, "WORKSPACE");
  writeFileSync(join(ws, "WORKSPACE"), formatted.replace(FORMATTED, EDITED));
  const result = await init(ws, cache);
  expect(result.stdout).toMatch(/updated\s+WORKSPACE\n/);
  expect(read(ws, "WORKSPACE")).toBe(formatted);
});

it("init --check formats for itself: a cache record forged to vouch for an edited block is still drift", async () => {
  const ws = workspace();
  const cache = tempDir();
  await init(ws, cache);
  const edited = read(ws, "WORKSPACE").replace(FORMATTED, EDITED);
  writeFileSync(join(ws, "WORKSPACE"), edited);
  for (const name of records(cache)) writeFileSync(join(cache, name), JSON.stringify({ output: digest(block(edited)) }));
  const check = await init(ws, cache, ["--check"]);
  expect(check.exitCode).toBe(1);
  expect(check.stdout).toContain(`-${EDITED}\n+${FORMATTED}\n`);
});
