#!/usr/bin/env bash
# Installs conda-bazel into $PREFIX from the tarball `npm pack` makes, as `npm install --global`
# would: $PREFIX/lib/node_modules/conda-bazel and the $PREFIX/bin/conda-bazel link.
set -euo pipefail

# The build machine's npm cache stays out of the build.
export npm_config_cache="${SRC_DIR}/.npm-cache"

cd "${SRC_DIR}"
# A checkout has no lib/bundle, the CLI the package ships: `npm ci` brings esbuild, and
# scripts/bundle.mjs builds the bundle from src/. Without --ignore-scripts the package's `prepare`
# would run all of `npm run build`, whose tsc type-checks and emits lib/*.js that the package
# does not hold: 15 of the build's CPU-seconds. The checkout's own tests type-check.
npm ci --no-audit --no-fund --ignore-scripts
node scripts/bundle.mjs
tarball="$(npm pack --silent --ignore-scripts)"
npm install --global --prefix "${PREFIX}" --omit=dev --no-audit --no-fund "./${tarball}"
