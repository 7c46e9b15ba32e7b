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
        # What building packages reads: the standard library's sources, the tools and their
        # headers. Not Go's own tests (a few of their file names are not ASCII, which Bazel 4.2.3
        # under a C locale cannot stat), the commands' sources, nor the packages Go 1.19 and older
        # install into pkg/<goos>_<goarch>: the library builds compile with -shared and never use
        # them. Half the files and a third of the bytes, which every Go action links into its
        # sandbox and every Bazel server digests.
        srcs = native.glob(
            ["**"],
            exclude = [
                "BUILD.bazel",
                "ROOT",
                "api/**",
                "doc/**",
                "misc/**",
                "pkg/**",
                "src/cmd/**",
                "test/**",
                "**/testdata/**",
                "**/*_test.go",
            ],
        ) + native.glob(["pkg/include/**", "pkg/tool/**"]),
        visibility = ["//visibility:public"],
    )
    native.filegroup(
        name = name,
        srcs = [program],
        tags = ["go_version=" + version, "go_variant=" + variant],
        visibility = ["//visibility:public"],
    )
