#!/usr/bin/env bash
# Installs conda-bazel into $PREFIX from the tarball `npm pack` makes, as `npm install --global`
# would: $PREFIX/lib/node_modules/conda-bazel and the $PREFIX/bin/conda-bazel link.
set -euo pipefail

# The build machine's npm cache stays out of the build.
export npm_config_cache="${SRC_DIR}/.npm-cache"

cd "${SRC_DIR}"
# A checkout has no compiled lib/: `npm ci` brings TypeScript and compiles (the package's
# `prepare` script runs after an install), so `npm pack` need not run it a second time.
npm ci --no-audit --no-fund
tarball="$(npm pack --silent --ignore-scripts)"
npm install --global --prefix "${PREFIX}" --omit=dev --no-audit --no-fund "./${tarball}"
