// The bin loads the bundle through V8's code cache (src/code-cache.ts), kept in the cache
// directory: the first run writes its entries, later runs use them and write nothing, and an
// entry that is damaged, replaced or unwritable only costs a compile; the output never changes.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, cli, tempDir } from "./helpers.js";

/** name -> content of every entry in the cache's code-cache directory. */
function entries(cache: string): Map<string, Buffer> {
  const dir = join(cache, "code-cache");
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

/** Whether an entry holds the digest of its own data, as the loader writes it. */
const sound = (entry: Buffer) => createHash("sha256").update(entry.subarray(32)).digest().equals(entry.subarray(0, 32));

describe("the bundle's code cache", () => {
  it("is written by the first run, used by the next ones, and changes no output", async () => {
    const cache = tempDir("conda-bazel-code-cache-");
    const first = await cli(["targets", "--json"], cleanEnv(cache));
    expect(first.exitCode, first.stderr).toBe(0);
    const written = entries(cache);
    // The entry chunk, the command's and the chunks they share.
    expect(written.size).toBeGreaterThanOrEqual(2);
    for (const entry of written.values()) expect(sound(entry)).toBe(true);
    const mtimes = [...written.keys()].map((name) => statSync(join(cache, "code-cache", name)).mtimeMs);

    const second = await cli(["targets", "--json"], cleanEnv(cache));
    expect(second.stdout).toBe(first.stdout);
    expect(entries(cache)).toEqual(written);
    expect([...written.keys()].map((name) => statSync(join(cache, "code-cache", name)).mtimeMs)).toEqual(mtimes);

    // Another command adds the entries of its own chunks and keeps the others.
    const describe = await cli(["describe", "--prefix", tempDir(), "--json"], cleanEnv(cache));
    expect(describe.exitCode).toBe(2);
    const after = entries(cache);
    expect(after.size).toBeGreaterThan(written.size);
    for (const [name, entry] of written) expect(after.get(name)).toEqual(entry);
  });

  it("takes an entry with a flipped byte, garbage or a FIFO for a miss, and writes a sound one", async () => {
    const cache = tempDir("conda-bazel-code-cache-");
    const expected = await cli(["targets"], cleanEnv(cache));
    const names = [...entries(cache).keys()].sort();
    expect(names.length).toBeGreaterThanOrEqual(3);
    const dir = join(cache, "code-cache");
    const [flipped, garbage, fifo] = names.map((name) => join(dir, name));
    const bytes = readFileSync(flipped!);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(flipped!, bytes);
    writeFileSync(garbage!, "not V8's code cache\n");
    rmSync(fifo!);
    execFileSync("mkfifo", [fifo!]);

    const again = await cli(["targets"], cleanEnv(cache));
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toBe(expected.stdout);
    // The damaged entries were replaced by sound ones (the FIFO too: renamed over).
    for (const file of [flipped!, garbage!, fifo!]) {
      expect(statSync(file).isFile()).toBe(true);
      expect(sound(readFileSync(file))).toBe(true);
    }
  });

  it("runs the same without a cache it can write (a file where its directory belongs)", async () => {
    const cache = tempDir("conda-bazel-code-cache-");
    writeFileSync(join(cache, "code-cache"), "");
    const result = await cli(["targets"], cleanEnv(cache));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("aarch64-unknown-linux-gnu");
  });
});
