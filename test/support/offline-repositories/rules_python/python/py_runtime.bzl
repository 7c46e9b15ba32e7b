"""Stand-in for rules_python's python/py_runtime.bzl: Bazel 4.2.3's native py_runtime."""

def py_runtime(**attrs):
    native.py_runtime(**attrs)
