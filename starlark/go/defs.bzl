"""go_c_shared_library and go_c_archive_library: a Go package built as a C library, without rules_go.

Builds with the conda Go SDK and the conda C and C++ compilers of the target platform's cc
toolchain, in the environment `conda-bazel go-build` uses (one definition, `conda-bazel go-env`).
The standard library is compiled once per configuration (`//go:stdlib`), and its packages seed
each build's Go cache.
"""

load("@rules_cc//cc:find_cc_toolchain.bzl", "find_cc_toolchain", "use_cc_toolchain")
load("@rules_cc//cc/common:cc_common.bzl", "cc_common")
load("@rules_cc//cc/common:cc_info.bzl", "CcInfo")
load(":stdlib.bzl", "GoStdlibInfo", "go_action_env", "in_execroot", "substitute")
load(":toolchain.bzl", "GO_TOOLCHAIN_TYPE")

def _package_dir(ctx):
    mods = [f for f in ctx.files.srcs if f.basename == "go.mod"]
    if len(mods) != 1:
        fail("srcs must hold exactly one go.mod, the module of the package to build; found {}".format(len(mods)))
    package = ctx.attr.package.strip("/")
    if package.startswith("../") or "/../" in package or package == "..":
        fail("package must name a directory inside the module, not '{}'".format(ctx.attr.package))
    if package in ("", "."):
        return mods[0].dirname
    return mods[0].dirname + "/" + package

def _go_c_library(ctx, archive):
    go = ctx.toolchains[GO_TOOLCHAIN_TYPE].conda_go
    cc_toolchain = find_cc_toolchain(ctx)
    feature_configuration = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    name = ctx.attr.library_name or ctx.label.name
    library = ctx.actions.declare_file((go.archive_library if archive else go.library).replace("@@NAME@@", name))
    header = ctx.actions.declare_file((go.archive_header if archive else go.header).replace("@@NAME@@", name))
    stdlib = ctx.attr._stdlib[GoStdlibInfo].cache

    # CC and CXX lie in the prefix as linked into the target's cc toolchain package, whose files
    # are the action's inputs: the toolchain's own C++ compiler, where the cc toolchain names only
    # one driver (`gcc`) for C and C++ alike.
    env, replacements = go_action_env(go)
    outputs = dict(replacements)
    outputs.update({"@@NAME@@": name, "@@OUTPUT@@": in_execroot(library.path)})
    args = ctx.actions.args()
    args.add(ctx.file._runner)
    args.add("--seed", stdlib.path)
    args.add(_package_dir(ctx))
    args.add(go.go)
    args.add_all([substitute(arg, outputs) for arg in (go.archive_args if archive else go.args)])

    ctx.actions.run_shell(
        command = "exec /bin/bash \"$@\"",
        arguments = [args],
        inputs = depset(ctx.files.srcs + [ctx.file._runner, stdlib], transitive = [go.goroot_files, cc_toolchain.all_files]),
        outputs = [library, header],
        env = env,
        mnemonic = "GoCArchive" if archive else "GoCShared",
        progress_message = "Building Go {} {} for {}".format("c-archive" if archive else "c-shared library", library.short_path, go.target),
    )

    library_to_link = cc_common.create_library_to_link(
        actions = ctx.actions,
        feature_configuration = feature_configuration,
        cc_toolchain = cc_toolchain,
        static_library = library if archive else None,
        dynamic_library = None if archive else library,
    )
    linking_context = cc_common.create_linking_context(linker_inputs = depset([cc_common.create_linker_input(
        owner = ctx.label,
        libraries = depset([library_to_link]),
        user_link_flags = depset(go.archive_linkopts if archive else []),
    )]))
    compilation_context = cc_common.create_compilation_context(
        headers = depset([header]),
        quote_includes = depset([header.dirname]),
    )
    group = {"static_library": depset([library])} if archive else {"shared_library": depset([library])}
    return [
        DefaultInfo(files = depset([library, header]), runfiles = None if archive else ctx.runfiles(files = [library])),
        CcInfo(compilation_context = compilation_context, linking_context = linking_context),
        OutputGroupInfo(header = depset([header]), **group),
    ]

def _go_c_shared_library_impl(ctx):
    return _go_c_library(ctx, archive = False)

def _go_c_archive_library_impl(ctx):
    return _go_c_library(ctx, archive = True)

_ATTRS = {
    "library_name": attr.string(
        doc = "The library's name, from which the file names follow (`lib<name>.so`, `lib<name>.a`). Default: the target's name.",
    ),
    "package": attr.string(
        default = ".",
        doc = "The main package's directory, relative to the directory of go.mod (`cmd/mylib`). Default: the module's root.",
    ),
    "srcs": attr.label_list(
        allow_files = [".go", ".mod", ".sum", ".txt", ".c", ".h", ".s", ".S", ".cc", ".cpp", ".hpp"],
        mandatory = True,
        doc = "Every file of the module the main package needs: its go.mod (and go.sum), the packages it imports from the module, and `vendor/` (with `vendor/modules.txt`) for the modules it requires; a glob of the module, e.g. `glob([\"mymod/**\"])`. Builds run offline (`-mod=vendor`, `GOPROXY=off`): a module that requires modules not vendored fails, saying to run `go mod vendor`.",
    ),
    "_runner": attr.label(default = Label("//go:go_c_shared.sh"), allow_single_file = True),
    "_stdlib": attr.label(default = Label("//go:stdlib"), providers = [GoStdlibInfo]),
}

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
        srcs = glob(["golib/**"]),
    )
""",
    attrs = _ATTRS,
    fragments = ["cpp"],
    toolchains = [GO_TOOLCHAIN_TYPE] + use_cc_toolchain(),
)

go_c_archive_library = rule(
    implementation = _go_c_archive_library_impl,
    doc = """A Go main package built with `go build -buildmode=c-archive` for the target platform.

Like go_c_shared_library, but outputs a static archive `lib<name>.a` and its header, and provides
`CcInfo` with the archive and the linker flags Go's runtime needs (`-lpthread` on Linux), so a
`cc_binary` that lists it in `deps` links the Go code into itself. Output groups:
`static_library`, `header`.

Example:

    go_c_archive_library(
        name = "golib_static",
        srcs = glob(["golib/**"]),
        library_name = "golib",
    )
""",
    attrs = _ATTRS,
    fragments = ["cpp"],
    toolchains = [GO_TOOLCHAIN_TYPE] + use_cc_toolchain(),
)
