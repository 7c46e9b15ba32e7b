"""Public WORKSPACE API of conda-bazel.

Everything under private/ may change between releases; load only from this file (or from
extensions.bzl with bzlmod), and go_c_shared_library from go/defs.bzl.
"""

load("//private:environment_repository.bzl", _conda_environment = "conda_environment")
load("//private:module_repository.bzl", _conda_module = "conda_module", _conda_modules = "conda_modules")

conda_environment = _conda_environment
conda_module = _conda_module
conda_modules = _conda_modules
