"""conda_python_package: the macro the generated `@conda//python` package calls."""

load("@rules_cc//cc:defs.bzl", "cc_library")

CondaPythonInfo = provider(
    doc = "What building an extension module for the conda environment's Python takes.",
    fields = {
        "ext_suffix": "EXT_SUFFIX as the interpreter reports it, e.g. `.cpython-311-x86_64-linux-gnu.so`; empty when it did not run.",
        "label": "The target providing it, for messages.",
    },
)

def _conda_python_info_impl(ctx):
    return [CondaPythonInfo(ext_suffix = ctx.attr.ext_suffix, label = str(ctx.label))]

conda_python_info = rule(
    implementation = _conda_python_info_impl,
    attrs = {
        "ext_suffix": attr.string(doc = "EXT_SUFFIX of the interpreter."),
    },
    doc = "The facts about the environment's Python that conda_py_extension reads (CondaPythonInfo).",
)

def _headers(name, directory, deps, target_compatible_with):
    cc_library(
        name = name,
        hdrs = native.glob([directory + "/**/*.h"]),
        # -isystem, relative to the execroot: warnings in them are not the user's.
        includes = [directory],
        deps = deps,
        target_compatible_with = target_compatible_with,
        visibility = ["//visibility:public"],
    )

def conda_python_package(name, ext_suffix, target_compatible_with, include_dir = None, libpython = None, numpy_include_dir = None):
    """The targets of `@conda//python`.

    `:python` (CondaPythonInfo), `:headers` (Python.h and the rest, not linking libpython: an
    extension module takes the interpreter's symbols at load time, as on Linux), `:libpython` (to
    embed the interpreter) and `:numpy_headers`, each only when the environment has it.

    Args:
      name: name of the CondaPythonInfo target.
      ext_suffix: EXT_SUFFIX of the interpreter.
      target_compatible_with: constraints of the environment's own platform; the headers,
        libraries and suffix are those of its Python only.
      include_dir: the directory holding Python.h, relative to the package.
      libpython: the shared libpython (its SONAME file), relative to the package.
      numpy_include_dir: numpy's C headers directory (holding `numpy/`), relative to the package.
    """
    conda_python_info(
        name = name,
        ext_suffix = ext_suffix,
        target_compatible_with = target_compatible_with,
        visibility = ["//visibility:public"],
    )
    if include_dir:
        _headers("headers", include_dir, [], target_compatible_with)
    if libpython:
        cc_library(
            name = "libpython",
            srcs = [libpython],
            deps = [":headers"] if include_dir else [],
            target_compatible_with = target_compatible_with,
            visibility = ["//visibility:public"],
        )
    if numpy_include_dir:
        _headers("numpy_headers", numpy_include_dir, [":headers"] if include_dir else [], target_compatible_with)
