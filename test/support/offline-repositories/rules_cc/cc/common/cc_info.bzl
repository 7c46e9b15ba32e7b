"""Stand-in for rules_cc's cc/common/cc_info.bzl: Bazel 4.2.3's built-in CcInfo."""

load("//cc/private:native.bzl", "NativeCcInfo")

CcInfo = NativeCcInfo
