"""@conda's Go toolchains, from the callout `conda-bazel go-env --json` (used by the repository rule)."""

load("//private:callout.bzl", "run_json")
load("//private:render.bzl", "render_call", "render_load", "render_toolchain")
load(":toolchain.bzl", "GO_TOOLCHAIN_TYPE")

def conda_go_toolchains(rctx, prefix, exec_constraints, constraints, prefix_links):
    """Declarations of a conda_go_toolchain and its toolchain() per target Go can build for.

    Args:
      rctx: the repository_ctx of the @conda repository rule.
      prefix: the conda prefix.
      exec_constraints: constraint labels of the machine that runs the builds.
      constraints: target triplet to its constraint labels, for every target with a C compiler.
      prefix_links: target triplet to the link to the prefix in its cc toolchain package, relative
        to the repository root (the cgo compilers are reached through it).

    Returns:
      (loads, calls): BUILD file lines for the repository's root package.
    """
    document = run_json(rctx, ["go-env", "--json", "--prefix", prefix])
    calls = []
    for target in document["targets"]:
        triplet = target["target"]
        archive = target["archive"]
        calls.append(render_call("conda_go_toolchain", [
            ("name", triplet + "_go"),
            ("archive_args", archive["args"]),
            ("archive_header", archive["header"]),
            ("archive_library", archive["library"]),
            ("archive_linkopts", archive["linkopts"]),
            ("args", target["args"]),
            ("env", target["env"]),
            ("go", "//go:go"),
            ("goroot_files", "//go:files"),
            ("goroot_marker", "//go:ROOT"),
            ("header", target["header"]),
            ("library", target["library"]),
            ("prefix", prefix_links[triplet]),
            ("stdlib_args", target["stdlibArgs"]),
            ("target", triplet),
        ]))
        calls.append(render_toolchain(
            name = triplet + "_go_toolchain",
            toolchain = ":{}_go".format(triplet),
            toolchain_type = GO_TOOLCHAIN_TYPE,
            exec_compatible_with = exec_constraints,
            target_compatible_with = constraints[triplet],
        ))
    loads = [render_load(Label("//go:toolchain.bzl"), ["conda_go_toolchain"])] if calls else []
    return loads, calls
