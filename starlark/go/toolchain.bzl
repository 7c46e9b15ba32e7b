"""The conda Go toolchain: what go_c_shared_library needs to build for one target platform."""

# The toolchain type go_c_shared_library asks for and @conda declares toolchains of.
GO_TOOLCHAIN_TYPE = str(Label("//go:toolchain_type"))

CondaGoInfo = provider(
    doc = "The conda Go SDK and the cgo build environment for one target, from `conda-bazel go-env`.",
    fields = {
        "archive_args": "Arguments of `go build -buildmode=c-archive`, with the placeholders of `args` and @@PREFIX@@.",
        "archive_header": "File name of the c-archive's C header, with the placeholder @@NAME@@.",
        "archive_library": "File name of the static archive, with the placeholder @@NAME@@.",
        "archive_linkopts": "Linker flags a C program linking the archive needs (`-lpthread`).",
        "args": "Arguments of `go build`, with the placeholders @@OUTPUT@@ and @@NAME@@.",
        "env": "Environment of `go build`, with the placeholders @@GOROOT@@, @@PREFIX@@ and @@TMP@@.",
        "go": "File: the `go` command of the conda GOROOT.",
        "goroot": "Execroot-relative path of the conda GOROOT.",
        "goroot_files": "depset of every file of the conda GOROOT (inputs of each build).",
        "header": "File name of the generated C header, with the placeholder @@NAME@@.",
        "library": "File name of the shared library, with the placeholder @@NAME@@.",
        "prefix": "Execroot-relative path of the conda prefix as linked into the @conda repository.",
        "stdlib_args": "Arguments of the `go list` that compiles the standard library into GOCACHE, but for the packages.",
        "target": "Canonical target triplet, for messages.",
    },
)

def _conda_go_toolchain_impl(ctx):
    root = ctx.attr.prefix
    if ctx.label.workspace_root:
        root = ctx.label.workspace_root + "/" + root
    return [platform_common.ToolchainInfo(conda_go = CondaGoInfo(
        archive_args = ctx.attr.archive_args,
        archive_header = ctx.attr.archive_header,
        archive_library = ctx.attr.archive_library,
        archive_linkopts = ctx.attr.archive_linkopts,
        args = ctx.attr.args,
        env = ctx.attr.env,
        go = ctx.file.go,
        goroot = ctx.file.goroot_marker.dirname,
        goroot_files = depset(transitive = [t[DefaultInfo].files for t in [ctx.attr.go, ctx.attr.goroot_files]]),
        header = ctx.attr.header,
        library = ctx.attr.library,
        prefix = root,
        stdlib_args = ctx.attr.stdlib_args,
        target = ctx.attr.target,
    ))]

conda_go_toolchain = rule(
    implementation = _conda_go_toolchain_impl,
    doc = """The conda Go SDK and the cgo environment for one target platform.

Declared in @conda by the repository rule from `conda-bazel go-env --json` (one per target with a
C compiler), wrapped in a `toolchain()` of type `//go:toolchain_type`. Not for use in BUILD files.""",
    attrs = {
        "archive_args": attr.string_list(mandatory = True, doc = "`go build -buildmode=c-archive` arguments from `conda-bazel go-env`."),
        "archive_header": attr.string(mandatory = True, doc = "File name of the c-archive's C header, `@@NAME@@` standing for the library name."),
        "archive_library": attr.string(mandatory = True, doc = "File name of the static archive, `@@NAME@@` standing for the library name."),
        "archive_linkopts": attr.string_list(doc = "Linker flags a C program linking the archive needs."),
        "args": attr.string_list(mandatory = True, doc = "`go build` arguments from `conda-bazel go-env`."),
        "env": attr.string_dict(mandatory = True, doc = "`go build` environment from `conda-bazel go-env`."),
        "go": attr.label(mandatory = True, allow_single_file = True, doc = "The `go` command of the conda GOROOT."),
        "goroot_files": attr.label(mandatory = True, doc = "Every file of the conda GOROOT."),
        "goroot_marker": attr.label(mandatory = True, allow_single_file = True, doc = "A file in the GOROOT's root directory."),
        "header": attr.string(mandatory = True, doc = "File name of the C header, `@@NAME@@` standing for the library name."),
        "library": attr.string(mandatory = True, doc = "File name of the shared library, `@@NAME@@` standing for the library name."),
        "prefix": attr.string(mandatory = True, doc = "Path of the conda prefix link, relative to the root of this toolchain's repository."),
        "stdlib_args": attr.string_list(mandatory = True, doc = "Arguments of the `go list` that compiles the standard library, from `conda-bazel go-env`; //go:stdlib adds the packages."),
        "target": attr.string(mandatory = True, doc = "Canonical target triplet."),
    },
    provides = [platform_common.ToolchainInfo],
)
