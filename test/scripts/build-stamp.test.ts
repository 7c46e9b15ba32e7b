// ensure-deps' build stamp (scripts/build-stamp.mjs), on a copy of the checkout's build inputs
// and outputs: a check after a build skips it; a changed, added or removed input, a changed
// output, or a missing or unreadable stamp means a build. Content decides, not timestamps. The
// input list is checked against package.json's build script and the scripts it runs, so that a
// new input of the build cannot be left out of the stamp.
import { appendFileSync, copyFileSync, cpSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JS module (checked with @ts-check), no declaration file
import { BUILD_INPUTS, BUILD_OUTPUTS, buildUpToDate, ensureBuilt, STAMP, writeStamp } from "../../scripts/build-stamp.mjs";
import { ROOT, tempDir } from "../cli/helpers.js";

const upToDate = (root: string): boolean => buildUpToDate(root);

/** Runs `change`, expects the stamp to call for a build, then restores `file`'s bytes and expects
 * the stamp to hold again. */
function expectRebuildUntilRestored(root: string, file: string, change: () => void): void {
  const path = join(root, file);
  const before = readFileSync(path);
  change();
  expect(upToDate(root), `${file} changed`).toBe(false);
  writeFileSync(path, before);
  expect(upToDate(root), `${file} restored`).toBe(true);
}

describe("the build stamp of ensure-deps", () => {
  const root = tempDir("conda-bazel-build-stamp-");

  beforeAll(() => {
    for (const path of [...(BUILD_INPUTS as string[]), ...(BUILD_OUTPUTS as string[])]) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      cpSync(join(ROOT, path), join(root, path), { recursive: true });
    }
    // As ensure-deps leaves it after a successful build.
    writeStamp(root);
  });

  it("skips the build on a second check", () => {
    expect(ensureBuilt(root)).toBe("up to date");
  });

  it("builds again when a source file's content changes, whatever its timestamp says", () => {
    const file = join(root, "src", "cli.ts");
    // An edit, dated long ago: the content decides.
    expectRebuildUntilRestored(root, "src/cli.ts", () => {
      appendFileSync(file, "// an edit\n");
      utimesSync(file, new Date(0), new Date(0));
    });
    // A touch alone (a checkout, a copy) changes nothing the build reads.
    utimesSync(file, new Date(), new Date());
    expect(upToDate(root)).toBe(true);
  });

  it("builds again when any listed input file changes, and when a source file is added", () => {
    for (const file of BUILD_INPUTS as string[]) {
      if (lstatSync(join(root, file)).isDirectory()) continue;
      expectRebuildUntilRestored(root, file, () => appendFileSync(join(root, file), "\n"));
    }
    // The bundle packs the Starlark it vendors (scripts/packed-starlark.mjs).
    expectRebuildUntilRestored(root, "starlark/defs.bzl", () => appendFileSync(join(root, "starlark", "defs.bzl"), "\n"));
    writeFileSync(join(root, "src", "extra.ts"), "export const extra = 1;\n");
    expect(upToDate(root)).toBe(false);
    rmSync(join(root, "src", "extra.ts"));
    expect(upToDate(root)).toBe(true);
  });

  it("builds again when an output changed or is gone", () => {
    expectRebuildUntilRestored(root, "lib/bundle/cli.cjs", () => appendFileSync(join(root, "lib", "bundle", "cli.cjs"), ";"));
    expectRebuildUntilRestored(root, "starlark/private/targets.bzl", () => rmSync(join(root, "starlark", "private", "targets.bzl")));
  });

  it("builds when the stamp is missing or unreadable", () => {
    const stamp = join(root, STAMP);
    copyFileSync(stamp, `${stamp}.kept`);
    writeFileSync(stamp, "{ not json");
    expect(upToDate(root)).toBe(false);
    writeFileSync(stamp, JSON.stringify({ inputs: "0".repeat(64), outputs: "0".repeat(64) }));
    expect(upToDate(root)).toBe(false);
    rmSync(stamp);
    expect(upToDate(root)).toBe(false);
    copyFileSync(`${stamp}.kept`, stamp);
    expect(upToDate(root)).toBe(true);
  });

  it("neither reads nor writes through a link a checkout commits under the stamp's names", () => {
    const stamp = join(root, STAMP);
    const outside = tempDir("conda-bazel-outside-");
    // A link to a sound stamp elsewhere vouches for nothing.
    copyFileSync(stamp, join(outside, "stamp"));
    rmSync(stamp);
    symlinkSync(join(outside, "stamp"), stamp);
    expect(upToDate(root)).toBe(false);
    // Links at the stamp's and its temp file's names are replaced, and what they point at is untouched.
    const target = join(outside, "victim");
    writeFileSync(target, "mine\n");
    symlinkSync(target, join(root, `${STAMP}.${process.pid}.tmp`));
    writeStamp(root);
    expect(lstatSync(stamp).isFile()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("mine\n");
    expect(readFileSync(join(outside, "stamp"))).toEqual(readFileSync(stamp));
    expect(upToDate(root)).toBe(true);
  });

  it("lists every file package.json's build script reads and writes", () => {
    const build = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { build: string } }).scripts.build;
    const scripts = [...build.matchAll(/\bnode (\S+\.mjs)/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    // The scripts' own relative imports, transitively (the bundle loads the template precompiler).
    for (let i = 0; i < scripts.length; i++) {
      const text = readFileSync(join(ROOT, scripts[i]!), "utf8");
      for (const [, rel] of text.matchAll(/from "\.\/([^"]+\.mjs)"/g)) {
        const path = join(dirname(scripts[i]!), rel!);
        if (!scripts.includes(path)) scripts.push(path);
      }
    }
    expect(BUILD_INPUTS).toEqual(expect.arrayContaining(scripts));
    const project = /\btsc -p (\S+)/.exec(build)![1]!;
    const tsconfig = JSON.parse(readFileSync(join(ROOT, project), "utf8")) as { include: string[]; compilerOptions: { outDir: string } };
    expect(BUILD_INPUTS).toEqual(expect.arrayContaining([project, ...tsconfig.include, "package-lock.json"]));
    expect(BUILD_OUTPUTS).toContain(tsconfig.compilerOptions.outDir);
    // The stamp stays out of git and out of the package.
    expect(readFileSync(join(ROOT, ".gitignore"), "utf8").split("\n")).toContain(`/${STAMP}`);
  });
});
