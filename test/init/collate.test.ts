// init lists the vendored Starlark in localeCompare's order without loading ICU's collation:
// localeOrder must agree with localeCompare on every pair of printable-ASCII strings.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { localeOrder } from "../../src/generate/collate.js";

const ROOT = join(import.meta.dirname, "..", "..");
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");

/** A fixed pseudo-random sequence (xorshift), so that a failure repeats. */
function* strings(alphabet: string, count: number): Generator<string> {
  let x = 0x9e3779b9;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
  for (let i = 0; i < count; i++) yield Array.from({ length: 1 + Math.floor(next() * 5) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
}

describe("localeOrder", () => {
  it("orders the vendored Starlark as localeCompare does", () => {
    const files = readdirSync(join(ROOT, "starlark"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => `third_party/conda_bazel/${relative(join(ROOT, "starlark"), join(e.parentPath, e.name))}`);
    expect(files.length).toBeGreaterThan(20);
    expect([...files].sort(localeOrder)).toEqual([...files].sort((a, b) => a.localeCompare(b)));
  });

  it("agrees with localeCompare on random pairs of printable ASCII, and of path-like text", () => {
    for (const alphabet of [ASCII, "aAbB_-./0Zz"]) {
      const list = [...strings(alphabet, 40000)];
      for (let i = 0; i + 1 < list.length; i += 2) {
        const [a, b] = [list[i]!, list[i + 1]!];
        expect([a, b, localeOrder(a, b)]).toEqual([a, b, Math.sign(a.localeCompare(b))]);
      }
    }
  });

  it("leaves other text to localeCompare", () => {
    expect(localeOrder("é", "f")).toBe(Math.sign("é".localeCompare("f")));
  });
});
