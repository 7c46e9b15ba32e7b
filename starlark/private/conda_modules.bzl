"""Bazel modules from conda packages: the table, and the aliases a module's BUILD file declares.

A workspace whose BUILD files name a Bazel Central Registry module's targets (`@zlib//:zlib`)
gets the env's prebuilt library instead of a build from source: the module is replaced by one
whose targets alias `@conda//pkgs/<package>`. WORKSPACE: `conda_modules()` from defs.bzl.
bzlmod: `local_path_override` to `modules/<module>` of this directory (see the README).
"""

load(":conda_packages.bzl", "conda_package_name")

# BCR module name: {label in that module, as its BUILD files declare it: conda package}.
# A row for abseil-cpp, protobuf or grpc names each target their users depend on, in its own
# package (`"//absl/strings:strings": "libabseil"`); modules/<module>/ then holds a BUILD.bazel
# per package, each calling conda_module_aliases.
CONDA_MODULES = {
    # https://registry.bazel.build/modules/bzip2: cc_library `bz2` (the overlay's BUILD.bazel).
    "bzip2": {"//:bz2": "bzip2"},
    # https://registry.bazel.build/modules/zlib: cc_library `z`, and `zlib` aliasing it.
    "zlib": {"//:z": "zlib", "//:zlib": "zlib"},
}

_NOT_INSTALLED = "@{module}//{package}:{target} is the conda package {conda}, which the conda environment does not have (or it has no C/C++ content): install it (conda install {conda}), run `conda-bazel init`, then build again"

def _not_installed_impl(ctx):
    fail(ctx.attr.message)

_not_installed = rule(
    implementation = _not_installed_impl,
    attrs = {"message": attr.string(doc = "Why the target cannot be built, and the fix.")},
    doc = "Fails at analysis with `message`: a module target whose conda package is not installed.",
)

def conda_module_aliases(name, package = "", packages = None, environment = "conda"):
    """Declares, in the calling package, an alias per target the table lists in `package` of the module.

    The aliases are tagged `manual`: the vendored copy of modules/ is also a package of the
    workspace, and `bazel build //...` must not build (or fail on) them there.

    Args:
      name: the BCR module's name, a key of CONDA_MODULES.
      package: the package of the module the calling BUILD file stands for ("" for its root),
        whatever its path where it is loaded from (`@conda_bazel//modules/zlib` is zlib's root).
      packages: `PACKAGES` of the environment's `//pkgs:packages.bzl` (conda name: target Label),
        to refuse a package the env lacks with a message saying so; None to alias
        `@<environment>//pkgs/<package>` unchecked (the modules/ files, which must load
        wherever the directory sits, so cannot load from the environment's repository).
      environment: the conda_environment repository's name, when `packages` is None.
    """
    module = name
    if module not in CONDA_MODULES:
        fail("conda-bazel has no conda package for the Bazel module {}; supported: {}".format(module, ", ".join(sorted(CONDA_MODULES.keys()))))
    for label, conda in sorted(CONDA_MODULES[module].items()):
        in_package, target = label[2:].split(":")
        if in_package != package:
            continue
        if packages == None:
            actual = "@{}//pkgs/{}".format(environment, conda_package_name(conda))
        elif conda in packages:
            actual = packages[conda]
        else:
            actual = ":{}_not_installed".format(target)
            _not_installed(
                name = actual[1:],
                message = _NOT_INSTALLED.format(module = module, package = package, target = target, conda = conda),
                tags = ["manual"],
            )
        native.alias(
            name = target,
            actual = actual,
            tags = ["manual"],
            visibility = ["//visibility:public"],
        )

def conda_module_packages(module):
    """The packages of `module` that the table names targets in.

    Args:
      module: a key of CONDA_MODULES.

    Returns:
      Their names, "" for the root package, sorted.
    """
    return sorted({label[2:].split(":")[0]: True for label in CONDA_MODULES[module]}.keys())
