"""The implementation of the bzlmod extension `conda` (extensions.bzl wraps it in module_extension).

Kept apart from the module_extension() and tag_class() calls so that it loads on any Bazel: the
tests run it on Bazel 4.2.3, which has no module extensions, with a stand-in module_ctx.
"""

load(":environment_repository.bzl", "ENVIRONMENT_ATTRS", "conda_environment")

# The attributes of `conda.environment`: the repository rule's own, plus the repository's name.
ENVIRONMENT_TAG_ATTRS = dict(
    ENVIRONMENT_ATTRS,
    name = attr.string(default = "conda", doc = "Name of the repository to declare."),
)

def conda_extension_impl(module_ctx):
    """Declares one conda_environment repository per `conda.environment` tag of the root module.

    Every tag attribute is passed on as it is, so the extension and the WORKSPACE macro
    (defs.bzl) declare the same repository from the same attributes.

    Args:
      module_ctx: the module_ctx (or a stand-in with `modules`, and `is_dev_dependency` /
        `extension_metadata` where Bazel has them).

    Returns:
      extension_metadata naming the declared repositories (for `bazel mod tidy`), where Bazel has it.
    """
    deps = []
    dev_deps = []
    for mod in module_ctx.modules:
        if not mod.is_root and mod.tags.environment:
            fail("conda.environment: only the root module may declare a conda environment (found in {}); a conda environment is a property of the machine, not of a library".format(mod.name))
        for tag in mod.tags.environment:
            conda_environment(**{attribute: getattr(tag, attribute) for attribute in ENVIRONMENT_TAG_ATTRS})
            dev = hasattr(module_ctx, "is_dev_dependency") and module_ctx.is_dev_dependency(tag)
            (dev_deps if dev else deps).append(tag.name)
    if not hasattr(module_ctx, "extension_metadata"):
        return None

    # The extension only declares repositories from its tags; what the environment holds is read by
    # the repository rule, so its result is reproducible and needs no lockfile entry.
    return module_ctx.extension_metadata(
        root_module_direct_deps = deps,
        root_module_direct_dev_deps = dev_deps,
        reproducible = True,
    )
