"""Stand-in for rules_cc's cc/toolchains/cc_toolchain_config_info.bzl: Bazel 4.2.3's built-in provider."""

load("//cc/private:native.bzl", "NativeCcToolchainConfigInfo")

CcToolchainConfigInfo = NativeCcToolchainConfigInfo
