// The writer: managed blocks spliced into user files byte for byte, refusals, atomic writes
// that leave unchanged files (and their mtimes) alone, and diffs.
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import type { ManagedBlock } from "../../src/generate/types.js";
import { applyChanges } from "../../src/write/apply.js";
import { planChanges, unifiedDiff } from "../../src/write/plan.js";
import { BEGIN_MARKER, END_MARKER, spliceBlock as spliceBytes } from "../../src/write/splice.js";
import { tempDir } from "../cli/helpers.js";
import { tree } from "./helpers.js";

const block = (contents: string): ManagedBlock => ({ kind: "block", path: ".bazelrc", comment: "#", contents });
const spliceBlock = (existing: string | null, b: ManagedBlock): string => spliceBytes(existing === null ? null : Buffer.from(existing), b).toString("latin1");
const BEGIN = `# ${BEGIN_MARKER}`;
const END = `# ${END_MARKER}`;

describe("spliceBlock", () => {
  it("creates a file holding only the block", () => {
    expect(spliceBlock(null, block("a\nb\n"))).toBe(`${BEGIN}\na\nb\n${END}\n`);
  });

  it("appends after user lines with CRLF endings and no final newline, keeping them byte for byte", () => {
    const user = "build --jobs=2\r\n# mine\r\ntest --verbose_failures";
    const once = spliceBlock(user, block("x\n"));
    expect(once.startsWith(user)).toBe(true);
    expect(once).toBe(`${user}\r\n\r\n${BEGIN}\r\nx\r\n${END}\r\n`);
    // Replacing the block keeps everything around it, and a second run is a fixed point.
    const withTail = `${once}after\r\nlast`;
    const twice = spliceBlock(withTail, block("y\n"));
    expect(twice).toBe(`${user}\r\n\r\n${BEGIN}\r\ny\r\n${END}\r\nafter\r\nlast`);
    expect(spliceBlock(twice, block("y\n"))).toBe(twice);
  });

  it("refuses a begin marker without an end marker, and the reverse", () => {
    expect(() => spliceBlock(`a\n${BEGIN}\nold\n`, block("x\n"))).toThrow(UsageError);
    expect(() => spliceBlock(`a\n${BEGIN}\nold\n`, block("x\n"))).toThrow(/begin marker without an end marker.*refusing/);
    expect(() => spliceBlock(`${END}\n`, block("x\n"))).toThrow(/end marker without a begin marker/);
    expect(() => spliceBlock(`${BEGIN}\n${END}\n${BEGIN}\n${END}\n`, block("x\n"))).toThrow(/more than one/);
  });
});

describe("planChanges / applyChanges", () => {
  it("writes new and changed files, leaves unchanged ones and their mtime alone, keeps a file's mode", async () => {
    const root = tempDir();
    writeFileSync(join(root, "same.txt"), "same\n");
    writeFileSync(join(root, "run.sh"), "old\n");
    chmodSync(join(root, "run.sh"), 0o755);
    const mtime = statSync(join(root, "same.txt")).mtimeMs;
    const files = [
      { kind: "file" as const, path: "same.txt", contents: "same\n" },
      { kind: "file" as const, path: "run.sh", contents: "new\n" },
      { kind: "file" as const, path: "deep/new.txt", contents: "n\n" },
    ];
    const changes = await planChanges(root, files);
    expect(changes.map((c) => c.action)).toEqual(["unchanged", "update", "create"]);
    applyChanges(root, changes);
    expect(readFileSync(join(root, "run.sh"), "utf8")).toBe("new\n");
    expect(statSync(join(root, "run.sh")).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(root, "deep/new.txt"), "utf8")).toBe("n\n");
    expect(statSync(join(root, "same.txt")).mtimeMs).toBe(mtime);
    expect((await planChanges(root, files)).every((c) => c.action === "unchanged")).toBe(true);
  });

  it("diffs a change the way diff -u does, with workspace-relative labels", async () => {
    const root = tempDir();
    writeFileSync(join(root, "f.txt"), "one\ntwo\n");
    const [change] = await planChanges(root, [{ kind: "file", path: "f.txt", contents: "one\nthree\n" }]);
    const diff = await unifiedDiff(change!);
    expect(diff).toContain("--- a/f.txt\n+++ b/f.txt\n");
    expect(diff).toContain("-two\n+three\n");
  });

  it("a rename that fails after others went through puts every replaced file back, removes what it created, and names the path", async () => {
    const root = tempDir();
    writeFileSync(join(root, "a.txt"), "old a\n");
    writeFileSync(join(root, "b.txt"), "old b\n");
    const files = ["a.txt", "b.txt", "new/deep/c.txt", "z.txt"].map((path) => ({ kind: "file" as const, path, contents: `new ${path}\n` }));
    const changes = await planChanges(root, files);
    // After the plan, z.txt becomes a directory with a file in it (the user was busy): only its
    // rename, the last one, fails.
    mkdirSync(join(root, "z.txt"));
    writeFileSync(join(root, "z.txt", "keep"), "mine\n");
    const before = tree(root);
    expect(() => applyChanges(root, changes)).toThrow(/^cannot write z\.txt \(EISDIR\); nothing was changed$/);
    expect(tree(root)).toEqual(before);
  });
});
