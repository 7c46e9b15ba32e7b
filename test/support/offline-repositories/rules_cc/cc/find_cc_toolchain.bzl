"""Stand-in for rules_cc's cc/find_cc_toolchain.bzl on Bazel 4.2.3 (toolchain resolution on)."""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

def find_cc_toolchain(ctx):
    """The resolved CcToolchainInfo, as rules_cc's find_cc_toolchain(ctx) returns it."""
    return find_cpp_toolchain(ctx)

def use_cc_toolchain(mandatory = True):
    """The cc toolchain type to list in rule(toolchains = ...); Bazel 4.2.3 has no optional toolchains."""
    if not mandatory:
        fail("use_cc_toolchain(mandatory = False) needs Bazel 6 (config_common.toolchain_type)")
    return ["@bazel_tools//tools/cpp:toolchain_type"]
