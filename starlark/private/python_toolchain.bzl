"""conda_python_toolchain: the macro the generated `@conda` root package calls for the interpreter."""

load("@rules_python//python:py_runtime.bzl", "py_runtime")
load("@rules_python//python:py_runtime_pair.bzl", "py_runtime_pair")

def conda_python_toolchain(name, interpreter_path, target_compatible_with):
    """A Python toolchain running the conda environment's interpreter (a platform runtime).

    Args:
      name: prefix of the declared targets; the toolchain() is `<name>_toolchain`.
      interpreter_path: absolute path of the interpreter in the prefix.
      target_compatible_with: constraints of the platform the environment runs on.
    """
    py_runtime(
        name = name + "_runtime",
        interpreter_path = interpreter_path,
        python_version = "PY3",
        # The launcher stub runs on whatever Python the shebang finds before it execs the conda
        # interpreter; Bazel 4's default asks for `python`, which Debian 12 and others lack.
        stub_shebang = "#!/usr/bin/env python3",
    )
    py_runtime_pair(
        name = name + "_runtime_pair",
        py3_runtime = ":{}_runtime".format(name),
    )

    # rules_python's own toolchain type (@rules_python//python:toolchain_type) is an alias of it.
    native.toolchain(
        name = name + "_toolchain",
        target_compatible_with = target_compatible_with,
        toolchain = ":{}_runtime_pair".format(name),
        toolchain_type = "@bazel_tools//tools/python:toolchain_type",
    )
