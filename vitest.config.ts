import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// The files that take minutes, in the order they start. The demo goes first: it fills the run's
// shared caches (test/support/shared-caches.ts) with Go's standard library for the host and
// aarch64 and go-build's packages for four targets, which the Go files after it take from there;
// remote-cache asserts what runs, shares nothing, and runs beside it. Starting the long files
// first lets the two workers finish together. The rest follow in vitest's own order.
const FIRST = [
  "test/demo.test.ts",
  "test/bazel/remote-cache.test.ts",
  "test/bazel/init-bazel.test.ts",
  "test/bazel/conda-build.test.ts",
  "test/go/go-bazel-module.test.ts",
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = FIRST.indexOf(relative(this.ctx.config.root, file.moduleId));
      return index === -1 ? FIRST.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real-tool tests run Go, cross gcc and Bazel; two at a time fits the 2-core machines.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 600_000,
    hookTimeout: 600_000,
    sequence: { sequencer: LongestFirst },
  },
});
