"""conda_cc_toolchain: the macro each generated `@conda//<target>` package calls."""

load("@rules_cc//cc/toolchains:cc_toolchain.bzl", "cc_toolchain")
load(":cc_toolchain_config.bzl", "conda_cc_toolchain_config")

def conda_cc_toolchain(name, conda_triplet, target, tool_paths, sysroot, **config):
    """A cc_toolchain over the conda compilers of one target, with every file they use declared.

    Args:
      name: name of the cc_toolchain; its config is `<name>_config`.
      conda_triplet: the triplet the conda compilers carry (`aarch64-conda-linux-gnu`).
      target: the canonical target triplet, used in the toolchain identifier.
      tool_paths: tool name to path, relative to this package (through its `prefix` link).
      sysroot: the sysroot relative to this package, or "" for the compiler's own.
      **config: the remaining attributes of conda_cc_toolchain_config.
    """

    # The prefix is linked into the package as `prefix`; the compiler drivers and binutils,
    # the target's tree (sysroot, triplet tools) and gcc's internals are the toolchain's inputs.
    native.filegroup(
        name = name + "_tools",
        srcs = native.glob(["prefix/bin/{}-*".format(conda_triplet)]),
    )
    native.filegroup(
        name = name + "_files",
        srcs = [":{}_tools".format(name)] + native.glob(
            [
                "prefix/{}/**".format(conda_triplet),
                "prefix/lib/gcc/{}/**".format(conda_triplet),
                "prefix/libexec/gcc/{}/**".format(conda_triplet),
            ] + (["{}/**".format(sysroot)] if sysroot else []),
            allow_empty = True,
        ),
    )
    conda_cc_toolchain_config(
        name = name + "_config",
        toolchain_identifier = "conda-" + target,
        target_system_name = conda_triplet,
        tool_paths = tool_paths,
        sysroot = sysroot,
        **config
    )
    cc_toolchain(
        name = name,
        all_files = ":{}_files".format(name),
        ar_files = ":{}_tools".format(name),
        as_files = ":{}_files".format(name),
        compiler_files = ":{}_files".format(name),
        dwp_files = ":{}_tools".format(name),
        linker_files = ":{}_files".format(name),
        objcopy_files = ":{}_tools".format(name),
        strip_files = ":{}_tools".format(name),
        toolchain_config = ":{}_config".format(name),
    )
