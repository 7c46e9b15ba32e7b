"""Stand-in for rules_cc's cc/common/cc_common.bzl: Bazel 4.2.3's built-in cc_common."""

load("//cc/private:native.bzl", "native_cc_common")

cc_common = native_cc_common
