#!/usr/bin/env node
// The conda-bazel command: the bundled CLI (lib/bundle/, scripts/bundle.mjs), loaded with V8's
// code cache (src/code-cache.ts). CommonJS, as the bundle is: an ES module entry would start
// Node's ES module loader for this file alone.
"use strict";
const { join } = require("node:path");
const { loadBundle } = require("../lib/bundle/code-cache.cjs");

const bundle = loadBundle(join(__dirname, "..", "lib", "bundle", "cli.cjs"));
bundle.exports.main(process.argv.slice(2)).then((code) => {
  bundle.save();
  // At once: main has awaited all its work and the output went out synchronously
  // (src/output.ts); waiting would only let an idle-time garbage collection run first.
  process.exit(code);
});
