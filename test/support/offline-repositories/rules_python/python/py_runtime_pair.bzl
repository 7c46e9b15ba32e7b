"""Stand-in for rules_python's python/py_runtime_pair.bzl: on Bazel before 6, rules_python itself
uses @bazel_tools' py_runtime_pair, and so does this file."""

load("@bazel_tools//tools/python:toolchain.bzl", _py_runtime_pair = "py_runtime_pair")

py_runtime_pair = _py_runtime_pair
