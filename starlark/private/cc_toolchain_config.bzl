"""The config rule of conda cc toolchains: conda's compilers and default flags as a CcToolchainConfigInfo."""

load("@rules_cc//cc:action_names.bzl", "ACTION_NAMES")
load("@rules_cc//cc:cc_toolchain_config_lib.bzl", "feature", "flag_group", "flag_set", "tool_path")
load("@rules_cc//cc/common:cc_common.bzl", "cc_common")
load("@rules_cc//cc/toolchains:cc_toolchain_config_info.bzl", "CcToolchainConfigInfo")

_C_COMPILE = [ACTION_NAMES.c_compile]

_CXX_COMPILE = [
    ACTION_NAMES.cpp_compile,
    ACTION_NAMES.cpp_header_parsing,
    ACTION_NAMES.cpp_module_compile,
    ACTION_NAMES.cpp_module_codegen,
    ACTION_NAMES.linkstamp_compile,
]

_ALL_COMPILE = _C_COMPILE + _CXX_COMPILE + [
    ACTION_NAMES.assemble,
    ACTION_NAMES.preprocess_assemble,
]

_LINK = [
    ACTION_NAMES.cpp_link_executable,
    ACTION_NAMES.cpp_link_dynamic_library,
    ACTION_NAMES.cpp_link_nodeps_dynamic_library,
]

def _flags_feature(name, actions_and_flags, enabled = False):
    return feature(
        name = name,
        enabled = enabled,
        flag_sets = [
            flag_set(actions = actions, flag_groups = [flag_group(flags = flags)])
            for actions, flags in actions_and_flags
            if flags
        ],
    )

def _sysroot(ctx):
    """The sysroot as gcc sees it from the execroot: paths in the repository are package-relative."""
    if not ctx.attr.sysroot or ctx.attr.sysroot.startswith("/"):
        return ctx.attr.sysroot or None
    parts = [p for p in [ctx.label.workspace_root, ctx.label.package, ctx.attr.sysroot] if p]
    return "/".join(parts)

def _conda_cc_toolchain_config_impl(ctx):
    features = [
        feature(name = "supports_pic", enabled = True),
        feature(name = "supports_dynamic_linker", enabled = True),
        _flags_feature("default_compile_flags", [
            (_ALL_COMPILE, ctx.attr.compile_flags),
            (_C_COMPILE, ctx.attr.c_flags),
            (_CXX_COMPILE, ctx.attr.cxx_flags),
        ], enabled = True),
        _flags_feature("default_link_flags", [(_LINK, ctx.attr.link_flags + ctx.attr.link_libs)], enabled = True),
        _flags_feature("opt", [(_ALL_COMPILE, ctx.attr.opt_compile_flags)]),
        _flags_feature("dbg", [(_ALL_COMPILE, ctx.attr.dbg_compile_flags)]),
        feature(name = "fastbuild"),
    ]

    # rules_cc's cc_common and CcToolchainConfigInfo: Bazel's own up to 8, rules_cc's Starlark
    # ones on 9, whose cc_toolchain accepts only its own provider.
    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        features = features,
        cxx_builtin_include_directories = ctx.attr.builtin_include_directories,
        toolchain_identifier = ctx.attr.toolchain_identifier,
        host_system_name = "local",
        target_system_name = ctx.attr.target_system_name,
        target_cpu = ctx.attr.target_cpu,
        target_libc = ctx.attr.target_libc,
        compiler = ctx.attr.compiler,
        abi_version = ctx.attr.compiler,
        abi_libc_version = ctx.attr.target_libc,
        tool_paths = [tool_path(name = name, path = path) for name, path in ctx.attr.tool_paths.items()],
        builtin_sysroot = _sysroot(ctx),
    )

conda_cc_toolchain_config = rule(
    implementation = _conda_cc_toolchain_config_impl,
    provides = [CcToolchainConfigInfo],
    doc = "A legacy-API cc toolchain config for one target's conda compilers.",
    attrs = {
        "builtin_include_directories": attr.string_list(doc = "Directories the compiler searches by default: absolute, relative to this package, or `%sysroot%`-based."),
        "c_flags": attr.string_list(doc = "Flags for C compiles only (conda's CFLAGS without the optimisation ones)."),
        "compile_flags": attr.string_list(doc = "Flags for every compile (conda's CPPFLAGS without the optimisation ones, plus path and determinism flags)."),
        "compiler": attr.string(mandatory = True, values = ["gcc", "clang"], doc = "Compiler family: `gcc` or `clang`."),
        "compiler_version": attr.string(doc = "The compiler's version, for humans reading the generated BUILD file."),
        "cxx_flags": attr.string_list(doc = "Flags for C++ compiles only (conda's CXXFLAGS without the optimisation ones)."),
        "dbg_compile_flags": attr.string_list(doc = "Flags added by `-c dbg`."),
        "link_flags": attr.string_list(doc = "Flags for every link (conda's LDFLAGS without those naming the prefix)."),
        "link_libs": attr.string_list(doc = "Libraries every link ends with (the C++ runtime and libm)."),
        "opt_compile_flags": attr.string_list(doc = "Flags added by `-c opt` (conda's -O level, -DNDEBUG, -D_FORTIFY_SOURCE)."),
        "sysroot": attr.string(doc = "The sysroot: relative to this package, absolute, or empty for the compiler's default."),
        "target_cpu": attr.string(mandatory = True, doc = "Bazel's legacy cpu name of the target (`k8`, `aarch64`, `ppc`...)."),
        "target_libc": attr.string(default = "unknown", doc = "`macosx` on Apple targets (it switches Bazel's legacy features to Darwin flavour), else `unknown`."),
        "target_system_name": attr.string(mandatory = True, doc = "The compiler's triplet."),
        "tool_paths": attr.string_dict(mandatory = True, doc = "Tool name (gcc, ar, ld, cpp, nm, objcopy, objdump, strip, gcov) to path relative to this package, or absolute."),
        "toolchain_identifier": attr.string(mandatory = True, doc = "Unique name of the toolchain."),
    },
)
