"""go_c_shared_library: a Go package built as a C shared library, for workspaces without rules_go.

Builds with the conda Go SDK and the conda C and C++ compilers of the target platform's cc
toolchain, in the environment `conda-bazel go-build` uses (one definition, `conda-bazel go-env`).
"""

load("@rules_cc//cc:find_cc_toolchain.bzl", "find_cc_toolchain", "use_cc_toolchain")
load("@rules_cc//cc/common:cc_common.bzl", "cc_common")
load("@rules_cc//cc/common:cc_info.bzl", "CcInfo")
load(":toolchain.bzl", "GO_TOOLCHAIN_TYPE")

def _in_execroot(path):
    """An execroot-relative path as the runner script makes it absolute; absolute paths stay."""
    return path if path.startswith("/") else "@@EXECROOT@@/" + path

def _substitute(value, replacements):
    for placeholder, replacement in replacements.items():
        value = value.replace(placeholder, replacement)
    return value

def _package_dir(ctx):
    mods = [f for f in ctx.files.srcs if f.basename == "go.mod"]
    if len(mods) != 1:
        fail("srcs must hold exactly one go.mod, the module of the package to build; found {}".format(len(mods)))
    return mods[0].dirname

def _go_c_shared_library_impl(ctx):
    go = ctx.toolchains[GO_TOOLCHAIN_TYPE].conda_go
    cc_toolchain = find_cc_toolchain(ctx)
    feature_configuration = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    name = ctx.attr.library_name or ctx.label.name
    library = ctx.actions.declare_file(go.library.replace("@@NAME@@", name))
    header = ctx.actions.declare_file(go.header.replace("@@NAME@@", name))

    # CC and CXX lie in the prefix as linked into the target's cc toolchain package, whose files
    # are the action's inputs: the toolchain's own C++ compiler, where the cc toolchain names only
    # one driver (`gcc`) for C and C++ alike.
    replacements = {
        "@@GOROOT@@": _in_execroot(go.goroot),
        "@@PREFIX@@": _in_execroot(go.prefix),
    }
    env = {key: _substitute(value, replacements) for key, value in go.env.items()}
    outputs = {"@@NAME@@": name, "@@OUTPUT@@": _in_execroot(library.path)}
    args = ctx.actions.args()
    args.add(ctx.file._runner)
    args.add(_package_dir(ctx))
    args.add(go.go)
    args.add_all([_substitute(arg, outputs) for arg in go.args])

    ctx.actions.run_shell(
        command = "exec /bin/bash \"$@\"",
        arguments = [args],
        inputs = depset(ctx.files.srcs + [ctx.file._runner], transitive = [go.goroot_files, cc_toolchain.all_files]),
        outputs = [library, header],
        env = env,
        mnemonic = "GoCShared",
        progress_message = "Building Go c-shared library {} for {}".format(library.short_path, go.target),
    )

    library_to_link = cc_common.create_library_to_link(
        actions = ctx.actions,
        feature_configuration = feature_configuration,
        cc_toolchain = cc_toolchain,
        dynamic_library = library,
    )
    linking_context = cc_common.create_linking_context(linker_inputs = depset([cc_common.create_linker_input(
        owner = ctx.label,
        libraries = depset([library_to_link]),
    )]))
    compilation_context = cc_common.create_compilation_context(
        headers = depset([header]),
        quote_includes = depset([header.dirname]),
    )
    return [
        DefaultInfo(files = depset([library, header]), runfiles = ctx.runfiles(files = [library])),
        CcInfo(compilation_context = compilation_context, linking_context = linking_context),
        OutputGroupInfo(header = depset([header]), shared_library = depset([library])),
    ]

go_c_shared_library = rule(
    implementation = _go_c_shared_library_impl,
    doc = """A Go main package built with `go build -buildmode=c-shared` for the target platform.

Uses the conda GOROOT of @conda and the conda C and C++ compilers of the target platform (`--platforms`, e.g. `--config=aarch64-unknown-linux-gnu`). Outputs the library (named
for the target's OS: `lib<name>.so`, `lib<name>.dylib`, `<name>.dll`) and the C header cgo writes
for its exported functions, and provides `CcInfo`, so a `cc_library` or `cc_binary` can list it in
`deps` and `#include "lib<name>.h"`. Output groups: `shared_library`, `header`.

Example:

    go_c_shared_library(
        name = "golib",
        srcs = glob(["golib/*.go"]) + ["golib/go.mod"],
    )
""",
    attrs = {
        "library_name": attr.string(
            doc = "The library's name, from which the file names follow (`lib<name>.so`). Default: the target's name.",
        ),
        "srcs": attr.label_list(
            allow_files = [".go", ".mod", ".sum", ".c", ".h", ".s", ".S", ".cc", ".cpp", ".hpp"],
            mandatory = True,
            doc = "Every file of the Go main package, including its module's go.mod (and go.sum); the package is the directory of go.mod. Modules it requires must be vendored: builds run offline.",
        ),
        "_runner": attr.label(default = Label("//go:go_c_shared.sh"), allow_single_file = True),
    },
    fragments = ["cpp"],
    toolchains = [GO_TOOLCHAIN_TYPE] + use_cc_toolchain(),
)
