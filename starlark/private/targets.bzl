"""conda-bazel's target table (generated from src/targets.ts by `npm run build`; do not edit)."""

TARGETS = {
    "x86_64-unknown-linux-gnu": struct(
        triplet = "x86_64-unknown-linux-gnu",
        subdir = "linux-64",
        os = "linux",
        # @platforms cpu constraints, preferred first: older @platforms releases only know the later ones.
        cpus = ["x86_64"],
        target_cpu = "k8",
        target_libc = "unknown",
        goos = "linux",
        goarch = "amd64",
    ),
    "aarch64-unknown-linux-gnu": struct(
        triplet = "aarch64-unknown-linux-gnu",
        subdir = "linux-aarch64",
        os = "linux",
        # @platforms cpu constraints, preferred first: older @platforms releases only know the later ones.
        cpus = ["aarch64"],
        target_cpu = "aarch64",
        target_libc = "unknown",
        goos = "linux",
        goarch = "arm64",
    ),
    "powerpc64le-unknown-linux-gnu": struct(
        triplet = "powerpc64le-unknown-linux-gnu",
        subdir = "linux-ppc64le",
        os = "linux",
        # @platforms cpu constraints, preferred first: older @platforms releases only know the later ones.
        cpus = ["ppc64le", "ppc"],
        target_cpu = "ppc",
        target_libc = "unknown",
        goos = "linux",
        goarch = "ppc64le",
    ),
    "x86_64-pc-windows-gnu": struct(
        triplet = "x86_64-pc-windows-gnu",
        subdir = "win-64",
        os = "windows",
        # @platforms cpu constraints, preferred first: older @platforms releases only know the later ones.
        cpus = ["x86_64"],
        target_cpu = "x64_windows",
        target_libc = "unknown",
        goos = "windows",
        goarch = "amd64",
    ),
    "x86_64-apple-darwin": struct(
        triplet = "x86_64-apple-darwin",
        subdir = "osx-64",
        os = "macos",
        # @platforms cpu constraints, preferred first: older @platforms releases only know the later ones.
        cpus = ["x86_64"],
        target_cpu = "darwin_x86_64",
        target_libc = "macosx",
        goos = "darwin",
        goarch = "amd64",
    ),
    "aarch64-apple-darwin": struct(
        triplet = "aarch64-apple-darwin",
        subdir = "osx-arm64",
        os = "macos",
        # @platforms cpu constraints, preferred first: older @platforms releases only know the later ones.
        cpus = ["aarch64", "arm64"],
        target_cpu = "darwin_arm64",
        target_libc = "macosx",
        goos = "darwin",
        goarch = "arm64",
    ),
}

TARGETS_BY_SUBDIR = {t.subdir: t for t in TARGETS.values()}
