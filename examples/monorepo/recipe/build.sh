#!/usr/bin/env bash
# Build script of the golib recipe, run by rattler-build / conda-build with the build env
# ($BUILD_PREFIX: go, go-cgo_<target_platform>, gcc_<target_platform>) activated.
#
# conda-bazel go-build reads the compilers from $BUILD_PREFIX and composes the cgo environment
# for $target_platform itself (GOOS, GOARCH, CGO_ENABLED, absolute CC, CGO_* flags), so the
# variables the activation left behind (GOFLAGS=-buildmode=pie, a bare CC, CFLAGS for the
# build machine) cannot change the result, and the library gets its SONAME.
set -euo pipefail

# The driver: $CONDA_BAZEL when set (a checkout's bin/conda-bazel.cjs), else the conda-bazel
# package of the build env (recipe.yaml's build requirements; built from recipe/ in the
# conda-bazel repository).
driver=("${CONDA_BAZEL:-conda-bazel}")

out="${SRC_DIR}/dist"
"${driver[@]}" go-build "${SRC_DIR}" --prefix "${BUILD_PREFIX}" --target "${target_platform}" \
  --out "${out}" --name golib

# dist/<target triplet>/ holds the library and its header; conda's layout puts DLLs in Library/bin.
for file in "${out}"/*/*; do
  case "${file}" in
    *.h) install -D -m 644 "${file}" "${PREFIX}/include/$(basename "${file}")" ;;
    *.dll) install -D -m 755 "${file}" "${PREFIX}/Library/bin/$(basename "${file}")" ;;
    *.so | *.dylib) install -D -m 755 "${file}" "${PREFIX}/lib/$(basename "${file}")" ;;
  esac
done
