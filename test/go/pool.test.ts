// The job pool: bounded, ordered results, and --fail-fast stops what has not started.
import { describe, expect, it } from "vitest";
import { runPool } from "../../src/go/pool.js";

const options = (failFast: boolean) => ({ jobs: 2, failFast, failed: (r: string) => r.startsWith("fail"), skipped: (i: number) => `skipped ${i}` });

describe("runPool", () => {
  it("runs at most `jobs` items at once and returns results in the items' order", async () => {
    let running = 0;
    let most = 0;
    const results = await runPool([30, 10, 20, 5], async (ms) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return `ok ${ms}`;
    }, options(false));
    expect(results).toEqual(["ok 30", "ok 10", "ok 20", "ok 5"]);
    expect(most).toBe(2);
  });

  it("keeps going after a failure, unless failFast, which aborts running items and skips the rest", async () => {
    const work = async (name: string, signal: AbortSignal) => {
      if (name === "slow") await new Promise((r) => setTimeout(r, 200));
      return name === "bad" ? "fail bad" : signal.aborted ? `aborted ${name}` : `ok ${name}`;
    };
    expect(await runPool(["bad", "slow", "c"], work, options(false))).toEqual(["fail bad", "ok slow", "ok c"]);
    expect(await runPool(["bad", "slow", "c"], work, options(true))).toEqual(["fail bad", "aborted slow", "skipped 2"]);
  });
});
