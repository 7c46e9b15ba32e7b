#!/usr/bin/env node
// `node scripts/bazel-offline.mjs DIR`: writes the offline stand-ins for rules_cc and rules_python
// (test support, see test/support/offline-repositories/README.md) under DIR and prints the
// --override_repository flags that run Bazel 4.2.3 offline with them, one per line:
//
//   bazel build $(node scripts/bazel-offline.mjs /tmp/offline) //...
import { resolve } from "node:path";
import { offlineRepositories } from "../test/support/bazel-offline.mjs";

const [dir, ...rest] = process.argv.slice(2);
if (!dir || rest.length > 0) {
  process.stderr.write("usage: node scripts/bazel-offline.mjs DIR (where to write the offline repositories)\n");
  process.exitCode = 2;
} else {
  process.stdout.write(offlineRepositories(resolve(dir)).map((flag) => `${flag}\n`).join(""));
}
