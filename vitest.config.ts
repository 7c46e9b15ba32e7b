import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real-tool tests run Go, cross gcc and Bazel; two at a time fits the 2-core machines.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
