"""The Go standard library, compiled once per configuration for the conda Go rules.

go_c_shared_library and go_c_archive_library depend on the `//go:stdlib` target; it resolves
the same Go and cc toolchains they do, so each configuration (target platform, Go, C compiler and
flags) has one configured target and one action, whose output every library build of that
configuration reuses, and which Bazel's disk and remote caches serve like any other action.
"""

load("@rules_cc//cc:find_cc_toolchain.bzl", "find_cc_toolchain", "use_cc_toolchain")
load(":toolchain.bzl", "GO_TOOLCHAIN_TYPE")

GoStdlibInfo = provider(
    doc = "Go's build cache holding every standard-library package compiled for one configuration.",
    fields = {"cache": "Directory (tree artifact): a GOCACHE that seeds each library build's own."},
)

def in_execroot(path):
    """An execroot-relative path as the runner script makes it absolute; absolute paths stay."""
    return path if path.startswith("/") else "@@EXECROOT@@/" + path

def go_action_env(go):
    """The toolchain's `go` environment, with the GOROOT and prefix as the action sees them.

    Args:
      go: the CondaGoInfo of the toolchain.

    Returns:
      (env, replacements): the environment, and the path placeholders for the arguments too.
    """
    replacements = {
        "@@GOROOT@@": in_execroot(go.goroot),
        "@@PREFIX@@": in_execroot(go.prefix),
    }
    return {key: substitute(value, replacements) for key, value in go.env.items()}, replacements

def substitute(value, replacements):
    for placeholder, replacement in replacements.items():
        value = value.replace(placeholder, replacement)
    return value

def _go_stdlib_impl(ctx):
    go = ctx.toolchains[GO_TOOLCHAIN_TYPE].conda_go
    cc_toolchain = find_cc_toolchain(ctx)
    cache = ctx.actions.declare_directory(ctx.label.name + "_gocache")
    env, replacements = go_action_env(go)

    # Go writes the compiled packages straight into the declared output; `go list` runs in the
    # action's private directory, outside any module.
    env["GOCACHE"] = in_execroot(cache.path)
    args = ctx.actions.args()
    args.add(ctx.file._runner)
    args.add("--copy-goroot-src")
    args.add("@@TMP@@")
    args.add(go.go)
    args.add_all([substitute(arg, replacements) for arg in go.stdlib_args])
    ctx.actions.run_shell(
        command = "exec /bin/bash \"$@\"",
        arguments = [args],
        inputs = depset([ctx.file._runner], transitive = [go.goroot_files, cc_toolchain.all_files]),
        outputs = [cache],
        env = env,
        mnemonic = "GoStdlib",
        progress_message = "Compiling the Go standard library for {}".format(go.target),
    )
    return [DefaultInfo(files = depset([cache])), GoStdlibInfo(cache = cache)]

go_stdlib = rule(
    implementation = _go_stdlib_impl,
    doc = "The Go standard library compiled for the target platform, into a GOCACHE directory. Declared once, as `@conda_bazel//go:stdlib`; not for use in BUILD files.",
    attrs = {
        "_runner": attr.label(default = Label("//go:go_c_shared.sh"), allow_single_file = True),
    },
    fragments = ["cpp"],
    provides = [GoStdlibInfo],
    toolchains = [GO_TOOLCHAIN_TYPE] + use_cc_toolchain(),
)
