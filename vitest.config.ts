import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// The files that take minutes, in the order they start; the run's shared caches
// (test/support/shared-caches.ts) decide it. remote-cache starts first, beside init-bazel and
// conda-build: its CI leg, which must run every action, writes Go's standard library for the host
// into the shared disk cache for the demo, which starts after those two. The demo fills the rest:
// Go's standard library for aarch64 and go-build's packages for four targets. go-bazel-module
// builds both standard libraries again, so it starts last. An order that misses a cache costs
// time, never a result.
const FIRST = ["test/bazel/remote-cache.test.ts", "test/bazel/init-bazel.test.ts", "test/bazel/conda-build.test.ts", "test/demo.test.ts"];
const LAST = ["test/go/go-bazel-module.test.ts"];

class CacheOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const path = relative(this.ctx.config.root, file.moduleId);
      const first = FIRST.indexOf(path);
      return first !== -1 ? first : LAST.includes(path) ? FIRST.length + 1 : FIRST.length;
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
    sequence: { sequencer: CacheOrder },
  },
});
