"""Stand-in for rules_cc's cc/action_names.bzl: Bazel 4.2.3's @bazel_tools copy of the same names."""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", _ACTION_NAMES = "ACTION_NAMES")

ACTION_NAMES = _ACTION_NAMES
