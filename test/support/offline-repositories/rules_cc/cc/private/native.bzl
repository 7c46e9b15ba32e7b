"""Bazel 4.2.3's built-in cc symbols under other names, so that the public files can export them
under their own names (as rules_cc's cc/private/rules_impl/native.bzl does)."""

native_cc_common = cc_common
NativeCcInfo = CcInfo
NativeCcToolchainConfigInfo = CcToolchainConfigInfo
