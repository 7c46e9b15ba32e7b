"""Macros the generated @conda BUILD files call: one per kind of toolchain conda-bazel declares."""

load("@rules_cc//cc:defs.bzl", "cc_toolchain")
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

def _conda_py_runtime_pair_impl(ctx):
    # The fields py_binary reads from a toolchain of type @bazel_tools//tools/python:toolchain_type.
    return [platform_common.ToolchainInfo(
        py2_runtime = None,
        py3_runtime = ctx.attr.py3_runtime[PyRuntimeInfo],
    )]

# Not @bazel_tools//tools/python:toolchain.bzl's py_runtime_pair: from Bazel 8.0 it is a stub that
# fails ("use version from rules_python"), which would break loading @conda//:all, and
# rules_python cannot be fetched offline for Bazel 4.2.3. PyRuntimeInfo is global up to Bazel 8.
_conda_py_runtime_pair = rule(
    implementation = _conda_py_runtime_pair_impl,
    doc = "A Python 3 toolchain over one py_runtime (what py_runtime_pair returns, without Python 2).",
    attrs = {
        "py3_runtime": attr.label(mandatory = True, providers = [PyRuntimeInfo], doc = "The py_runtime of the conda interpreter."),
    },
    provides = [platform_common.ToolchainInfo],
)

def conda_python_toolchain(name, interpreter_path, target_compatible_with):
    """A Python toolchain running the conda environment's interpreter (a platform runtime).

    Args:
      name: prefix of the declared targets; the toolchain() is `<name>_toolchain`.
      interpreter_path: absolute path of the interpreter in the prefix.
      target_compatible_with: constraints of the platform the environment runs on.
    """

    # buildifier: disable=native-py
    native.py_runtime(
        name = name + "_runtime",
        interpreter_path = interpreter_path,
        python_version = "PY3",
        # The launcher stub runs on whatever Python the shebang finds before it execs the conda
        # interpreter; Bazel 4's default asks for `python`, which Debian 12 and others lack.
        stub_shebang = "#!/usr/bin/env python3",
    )
    _conda_py_runtime_pair(
        name = name + "_runtime_pair",
        py3_runtime = ":{}_runtime".format(name),
    )
    native.toolchain(
        name = name + "_toolchain",
        target_compatible_with = target_compatible_with,
        toolchain = ":{}_runtime_pair".format(name),
        toolchain_type = "@bazel_tools//tools/python:toolchain_type",
    )

def conda_goroot(name, version, variant, program = "bin/go"):
    """The conda GOROOT as files: `:ROOT` marks its root directory, `:files` holds all of it.

    Args:
      name: name of the filegroup of the `go` command.
      version: the Go version, without the `go` prefix.
      variant: `cgo` or `nocgo`, the conda Go package variant.
      program: the `go` command, relative to the GOROOT (`bin/linux_ppc64le/go` in a cross-built Go).
    """
    native.exports_files(["ROOT"])
    native.filegroup(
        name = "files",
        # Go's own test suites are no build input, and a few of their file names are not
        # ASCII, which Bazel 4.2.3 under a C locale cannot stat.
        srcs = native.glob(["**"], exclude = ["BUILD.bazel", "ROOT", "test/**", "**/testdata/**"]),
        visibility = ["//visibility:public"],
    )
    native.filegroup(
        name = name,
        srcs = [program],
        tags = ["go_version=" + version, "go_variant=" + variant],
        visibility = ["//visibility:public"],
    )
