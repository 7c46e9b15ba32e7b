"""The bzlmod extension of conda-bazel: `conda.environment(...)` declares the @conda repository."""

load("//private:environment_repository.bzl", "ENVIRONMENT_ATTRS", "conda_environment")

_environment = tag_class(
    attrs = dict(
        ENVIRONMENT_ATTRS,
        name = attr.string(default = "conda", doc = "Name of the repository to declare."),
    ),
    doc = "Declares a repository of toolchains and platforms from the conda environment that `conda-bazel init` pinned in .bazelrc.conda.",
)

def _conda_impl(module_ctx):
    for mod in module_ctx.modules:
        if not mod.is_root and mod.tags.environment:
            fail("conda.environment: only the root module may declare a conda environment (found in {}); a conda environment is a property of the machine, not of a library".format(mod.name))
        for tag in mod.tags.environment:
            conda_environment(name = tag.name, targets = tag.targets)

conda = module_extension(
    implementation = _conda_impl,
    tag_classes = {"environment": _environment},
    doc = "Repositories of toolchains and platforms from the machine's conda environment.",
)
