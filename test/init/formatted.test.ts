// A no-change init does not run buildifier again: the vendored manifest records what went into
// buildifier and what came out, and a file or block on disk with the recorded output is used as
// it is (src/generate/formatted.ts). The record can only stand in for buildifier's own output:
// an edited block is formatted again, and `init --check` never relies on the record.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { cleanEnv, cli, standInPrefix, tempDir } from "../cli/helpers.js";
import { workspace } from "./helpers.js";

const MANIFEST = "third_party/conda_bazel/.conda-bazel-manifest";
// A line of the WORKSPACE block, and the same call as buildifier would never leave it.
const FORMATTED = 'register_toolchains("@conda//:all")';
const EDITED = "register_toolchains( '@conda//:all' )";

let prefix: string;
let cache: string;

beforeAll(() => {
  prefix = standInPrefix({ subdirs: ["linux-64"] });
  cache = tempDir();
});

const init = (ws: string, args: string[] = []) => cli(["init", "--prefix", prefix, "--workspace", ws, ...args], cleanEnv(cache));
const read = (ws: string, path: string) => readFileSync(join(ws, path), "utf8");

/** The block's lines as the record digests them: between the markers, each ending with a newline. */
function block(text: string): string {
  const lines = text.split("\n");
  const begin = lines.findIndex((l) => l.startsWith("# BEGIN conda-bazel"));
  const end = lines.findIndex((l) => l === "# END conda-bazel");
  return lines.slice(begin + 1, end).map((l) => `${l}\n`).join("");
}

it("records the WORKSPACE block's formatting in the manifest, and a no-change init changes nothing", async () => {
  const ws = workspace();
  expect((await init(ws)).exitCode).toBe(0);
  const records = read(ws, MANIFEST).split("\n").filter((l) => l.startsWith("# formatted "));
  expect(records).toHaveLength(1);
  const digest = createHash("sha256").update(block(read(ws, "WORKSPACE"))).digest("hex");
  expect(records[0]).toMatch(new RegExp(` ${digest}$`));
  const again = await init(ws);
  expect(again.stdout).not.toMatch(/created|updated|deleted/);
});

it("formats an edited block again instead of keeping it", async () => {
  const ws = workspace();
  await init(ws);
  const formatted = read(ws, "WORKSPACE");
  writeFileSync(join(ws, "WORKSPACE"), formatted.replace(FORMATTED, EDITED));
  const result = await init(ws);
  expect(result.stdout).toMatch(/updated\s+WORKSPACE\n/);
  expect(read(ws, "WORKSPACE")).toBe(formatted);
});

it("init --check formats for itself: a record rewritten to vouch for an edited block is drift", async () => {
  const ws = workspace();
  await init(ws);
  const edited = read(ws, "WORKSPACE").replace(FORMATTED, EDITED);
  writeFileSync(join(ws, "WORKSPACE"), edited);
  const forged = createHash("sha256").update(block(edited)).digest("hex");
  writeFileSync(join(ws, MANIFEST), read(ws, MANIFEST).replace(/^(# formatted \S+) \S+$/m, `$1 ${forged}`));
  const check = await init(ws, ["--check"]);
  expect(check.exitCode).toBe(1);
  expect(check.stdout).toContain(`-${EDITED}\n+${FORMATTED}\n`);
  expect(check.stdout).toContain(`+++ b/${MANIFEST}`);
});
