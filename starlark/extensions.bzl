"""The bzlmod extension of conda-bazel: `conda.environment(...)` declares the @conda repository.

In MODULE.bazel (what `conda-bazel init` writes):

    conda = use_extension("@conda_bazel//:extensions.bzl", "conda", dev_dependency = True)
    conda.environment(name = "conda", targets = ["x86_64-unknown-linux-gnu"])
    use_repo(conda, "conda")
    register_toolchains("@conda//:all", dev_dependency = True)
"""

load("//private:extension.bzl", "ENVIRONMENT_TAG_ATTRS", "conda_extension_impl")

conda = module_extension(
    implementation = conda_extension_impl,
    tag_classes = {"environment": tag_class(
        attrs = ENVIRONMENT_TAG_ATTRS,
        doc = "Declares a repository of toolchains and platforms from the conda environment that `conda-bazel init` pinned in .bazelrc.conda.",
    )},
    doc = "Repositories of toolchains and platforms from the machine's conda environment.",
)
