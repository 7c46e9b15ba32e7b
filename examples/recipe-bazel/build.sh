#!/usr/bin/env bash
# Build script of the recipe-bazel recipe, run by rattler-build / conda-build in the work dir
# (the sources of ./src) with the build env ($BUILD_PREFIX) activated.
#
# `conda-bazel init` writes .bazelrc.conda (both prefixes, --platforms for target_platform,
# --host_platform for the build machine) and the WORKSPACE block; nothing goes into $PREFIX but
# what is installed below.
set -euo pipefail

# The driver: $CONDA_BAZEL when set (a checkout's bin/conda-bazel.cjs), else the conda-bazel
# package of the build env.
driver=("${CONDA_BAZEL:-conda-bazel}")

"${driver[@]}" init
# //:machine_h runs //:gen_tool (an exec-platform cc_binary) on the build machine; the others are
# built for target_platform.
bazel build //:libgreet.so //:greet_ext_module

bin=bazel-bin
ext="$(cd "${bin}" && echo greet_ext.cpython-*.so)"
install -D -m 755 "${bin}/libgreet.so" "${PREFIX}/lib/libgreet.so"
install -D -m 644 greet.h "${PREFIX}/include/greet.h"
install -D -m 755 "${bin}/${ext}" "${SP_DIR}/${ext}"

# The installed files are for target_platform, need no newer glibc than the sysroot's
# (c_stdlib_version) and name no build path in their RPATH.
"${driver[@]}" check "${PREFIX}/lib/libgreet.so" "${SP_DIR}/${ext}"
