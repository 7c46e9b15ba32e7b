"""Stand-in for rules_cc's cc/toolchains/cc_toolchain.bzl: Bazel 4.2.3's native cc_toolchain."""

def cc_toolchain(**attrs):
    native.cc_toolchain(**attrs)
