"""Stand-in for rules_python's python/py_test.bzl: Bazel 4.2.3's native py_test."""

def py_test(**attrs):
    native.py_test(**attrs)
