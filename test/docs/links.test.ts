// The links between the project's Markdown files: each relative link names a file that exists,
// and each #anchor a heading of that file, so that moving a section cannot leave a reader at a
// dead link.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Markdown outside fenced code blocks, whose text is code rather than links and headings. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const slug = heading!.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** The targets of a file's inline links, without the ones inside code spans. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
}

const markdownFiles = execFileSync("git", ["ls-files", "--", "*.md"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);

describe("links in the project's Markdown", () => {
  it("finds the README and the docs", () => {
    expect(markdownFiles).toEqual(expect.arrayContaining(["README.md", "docs/test-suite-time.md"]));
  });

  it.each(markdownFiles)("%s: every relative link names a file and heading that exist", (file) => {
    const broken: string[] = [];
    for (const target of linkTargets(readFileSync(join(ROOT, file), "utf8"))) {
      if (/^[a-z][a-z+.-]*:/i.test(target)) continue;
      const [path, anchor] = target.split("#", 2) as [string, string | undefined];
      const linked = path === "" ? join(ROOT, file) : join(ROOT, dirname(file), decodeURIComponent(path));
      if (!existsSync(linked) || relative(ROOT, linked).startsWith("..")) {
        broken.push(`${target}: no such file`);
      } else if (anchor !== undefined && linked.endsWith(".md") && !anchors(readFileSync(linked, "utf8")).has(anchor)) {
        broken.push(`${target}: no such heading`);
      }
    }
    expect(broken).toEqual([]);
  });
});
