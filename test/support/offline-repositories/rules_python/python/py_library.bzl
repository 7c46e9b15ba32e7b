"""Stand-in for rules_python's python/py_library.bzl: Bazel 4.2.3's native py_library."""

def py_library(**attrs):
    native.py_library(**attrs)
