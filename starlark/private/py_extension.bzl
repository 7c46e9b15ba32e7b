"""conda_py_extension: a C or C++ extension module for the conda environment's Python."""

load("@rules_cc//cc:defs.bzl", "cc_binary")
load("@rules_python//python:py_library.bzl", "py_library")
load(":python_package.bzl", "CondaPythonInfo")

_NO_PYTHON = """{python}: the conda environment's Python did not report its EXT_SUFFIX (it did
not run when @conda was fetched); check `conda-bazel describe --json`, reinstall python, and
run `conda-bazel init` again."""

def _extension_module_impl(ctx):
    python = ctx.attr.python[CondaPythonInfo]
    if not python.ext_suffix:
        fail(_NO_PYTHON.format(python = python.label))
    module = ctx.actions.declare_file(ctx.attr.module_name + python.ext_suffix)
    ctx.actions.symlink(output = module, target_file = ctx.file.shared_library)
    return [DefaultInfo(files = depset([module]), runfiles = ctx.runfiles(files = [module]))]

_extension_module = rule(
    implementation = _extension_module_impl,
    attrs = {
        "module_name": attr.string(mandatory = True, doc = "The name `import` uses."),
        "python": attr.label(mandatory = True, providers = [CondaPythonInfo], doc = "The `@conda//python` target."),
        "shared_library": attr.label(mandatory = True, allow_single_file = True, doc = "The linked module."),
    },
    doc = "Names a linked extension module `<module_name><EXT_SUFFIX>`, as the interpreter looks for it.",
)

def conda_py_extension(
        name,
        srcs,
        deps = [],
        copts = [],
        defines = [],
        linkopts = [],
        imports = ["."],
        environment = "@conda",
        visibility = None,
        **kwargs):
    """A Python extension module in C or C++, built for the conda environment's Python.

    The sources are compiled and linked as a shared object by the conda cc toolchain of the
    environment's platform, against `<environment>//python:headers` (not libpython: the
    interpreter provides its symbols when it loads the module). The module is named
    `<name><EXT_SUFFIX>`, EXT_SUFFIX as the environment's interpreter reported it when @conda was
    fetched (e.g. `sum.cpython-311-x86_64-linux-gnu.so`), and is the data of a py_library
    `<name>`: a py_binary or py_test on the conda Python toolchain that depends on it can
    `import <name>`. Declared targets: `<name>` (the py_library), `<name>.so` (the cc_binary) and
    `<name>_module` (the named module file).

    Args:
      name: the module's name, as `import` uses it; its init function is `PyInit_<name>`.
      srcs: C or C++ sources and private headers.
      deps: cc_library targets to link in, e.g. `@conda//python:numpy_headers` for the numpy C API.
      copts: options for the compiler.
      defines: macros for the compiler (`-D`).
      linkopts: options for the linker.
      imports: directories, relative to the package, put on the importer's `sys.path`; the
        default makes `import <name>` work from any package.
      environment: the repository conda_environment declared (init.repository in
        conda-bazel.yaml).
      visibility: visibility of the py_library; the other targets are private.
      **kwargs: attributes common to all rules (tags, testonly, target_compatible_with...), given
        to every target.
    """
    cc_binary(
        name = name + ".so",
        srcs = srcs,
        deps = deps + [environment + "//python:headers"],
        copts = copts,
        defines = defines,
        linkopts = linkopts,
        linkshared = True,
        visibility = ["//visibility:private"],
        **kwargs
    )
    _extension_module(
        name = name + "_module",
        module_name = name,
        python = environment + "//python",
        shared_library = ":{}.so".format(name),
        visibility = ["//visibility:private"],
        **kwargs
    )
    py_library(
        name = name,
        data = [":{}_module".format(name)],
        imports = imports,
        visibility = visibility,
        **kwargs
    )
