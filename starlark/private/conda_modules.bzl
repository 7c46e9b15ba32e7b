"""Bazel modules from conda packages: the table, and the aliases a module's BUILD file declares.

A workspace whose BUILD files name a Bazel Central Registry module's targets (`@zlib//:zlib`)
gets the env's prebuilt library instead of a build from source: the module is replaced by one
whose targets alias `@conda//pkgs/<package>`. WORKSPACE: `conda_modules()` from defs.bzl.
bzlmod: `local_path_override` to `modules/<module>` of this directory (see the README).
"""

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

def conda_module_aliases(name, packages):
    """Declares, in the calling package, an alias per target the table lists for it.

    Args:
      name: the BCR module's name, a key of CONDA_MODULES.
      packages: `PACKAGES` of the environment's `//pkgs:packages.bzl` (conda name: target Label).
    """
    module = name
    if module not in CONDA_MODULES:
        fail("conda-bazel has no conda package for the Bazel module {}; supported: {}".format(module, ", ".join(sorted(CONDA_MODULES.keys()))))
    here = native.package_name()
    for label, conda in sorted(CONDA_MODULES[module].items()):
        package, target = label[2:].split(":")
        if package != here:
            continue
        if conda not in packages:
            fail(_NOT_INSTALLED.format(module = module, package = package, target = target, conda = conda))
        native.alias(
            name = target,
            actual = packages[conda],
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
