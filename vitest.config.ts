import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// The order of the files where it matters; the run's shared caches
// (test/support/shared-caches.ts) decide most of it. remote-cache starts first, beside init-bazel:
// its CI leg, which must run every action, writes Go's standard library for the host into the
// shared disk cache for the demo, which starts after those two. go-build's four-target build comes
// between them, so that Go's packages for the four targets are in the shared Go cache before the
// demo's go-build asks for them (together they would compile them twice). go-bazel-module needs
// the demo's standard libraries, so it starts late; files with no Bazel follow it, about as long
// together as it is, so that the other worker has work while it runs. An order that misses a
// cache costs time, never a result.
const FIRST = ["test/bazel/remote-cache.test.ts", "test/bazel/init-bazel.test.ts", "test/go/go-build.test.ts", "test/demo.test.ts", "test/bazel/conda-build.test.ts"];
const LAST = ["test/go/go-bazel-module.test.ts", "test/init/safety.test.ts", "test/package/recipe.test.ts", "test/cli/describe.test.ts"];

class CacheOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const path = relative(this.ctx.config.root, file.moduleId);
      const first = FIRST.indexOf(path);
      const last = LAST.indexOf(path);
      return first !== -1 ? first : last !== -1 ? FIRST.length + 1 + last : FIRST.length;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real-tool tests run Go, cross gcc and Bazel; two at a time fits the 2-core machines.
    pool: "forks",
    // minForks as many as maxForks: with fewer, tinypool starts no second fork for the last file in
    // its queue while one fork is busy, so that file waited for go-bazel-module (60 s of a core idle).
    poolOptions: { forks: { maxForks: 2, minForks: 2 } },
    // Each fork runs file after file: a fork's start and vitest's own modules cost about a
    // CPU-second per file on these machines. No test changes process-wide state it does not restore.
    isolate: false,
    setupFiles: ["test/support/remove-temp-dirs.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    sequence: { sequencer: CacheOrder },
  },
});
