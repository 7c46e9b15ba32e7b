"""conda_goroot: the macro the generated `@conda//go` package calls."""

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
