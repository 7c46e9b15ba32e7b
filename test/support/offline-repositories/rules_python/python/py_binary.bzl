"""Stand-in for rules_python's python/py_binary.bzl: Bazel 4.2.3's native py_binary."""

def py_binary(**attrs):
    native.py_binary(**attrs)
