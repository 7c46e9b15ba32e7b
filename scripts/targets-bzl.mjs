#!/usr/bin/env node
// Writes starlark/private/targets.bzl, the target table for the repository rule, from
// src/targets.ts (as tsc compiled it into lib/), formatted by buildifier. `npm run build` runs it,
// so that `init` copies the table with the rest of the Starlark instead of rendering and
// formatting it on every run; test/init/targets-bzl.test.ts checks the committed file against
// the table.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatStarlark } from "../lib/buildifier.js";
import { render } from "../lib/generate/render.js";
import { TARGETS } from "../lib/targets.js";

const TABLE = `"""conda-bazel's target table (generated from src/targets.ts by \`npm run build\`; do not edit)."""

TARGETS = {
{% for t in targets %}
    "{{ t.triplet }}": struct(
        triplet = "{{ t.triplet }}",
        subdir = "{{ t.subdir }}",
        os = "{{ t.bazelOs }}",
        # @platforms cpu constraints, preferred first: older @platforms releases only know the later ones.
        cpus = [{% for c in t.bazelCpus %}"{{ c }}"{% if not loop.last %}, {% endif %}{% endfor %}],
        target_cpu = "{{ t.bazelTargetCpu }}",
        target_libc = "{{ "macosx" if t.bazelOs == "macos" else "unknown" }}",
        goos = "{{ t.goos }}",
        goarch = "{{ t.goarch }}",
    ),
{% endfor %}
}

TARGETS_BY_SUBDIR = {t.subdir: t for t in TARGETS.values()}
`;

const file = join(dirname(fileURLToPath(import.meta.url)), "..", "starlark", "private", "targets.bzl");
const text = await formatStarlark(render(TABLE, { targets: TARGETS }), "bzl");
// Written only when it differs: a build leaves a checkout's file, and its timestamp, as it was.
if (readFileSync(file, "utf8") !== text) writeFileSync(file, text);
