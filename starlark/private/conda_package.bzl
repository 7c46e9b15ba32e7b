"""conda_package: the macro each generated `@conda//pkgs/<name>` package calls."""

load("@rules_cc//cc:defs.bzl", "cc_import", "cc_library")

def conda_package(name, headers, shared_libraries, static_libraries, depends, static_depends, env_platform, elsewhere):
    """A cc_library over one installed conda package's files, reached through the package's `prefix` link.

    Args:
      name: the package's Bazel name; the cc_library (headers, shared libraries, deps) gets it.
      headers: the package's files under include/, relative to the prefix.
      shared_libraries: its shared libraries, each the prefix-relative file named by its SONAME.
      static_libraries: its `.a` files, relative to the prefix; with any, a `:static` cc_library
        links them instead of the shared libraries.
      depends: labels of the packages it depends on (`depends`) that have C/C++ content.
      static_depends: the same, each package's `:static` where it has one.
      env_platform: a config_setting matching the env's own platform, the only one its files are for.
      elsewhere: a constraint value no platform has, whose name says so; targets built for any
        other platform require it, so Bazel refuses them, naming it. Only on the cc_library
        targets, the public ones (Bazel 4's cc_import lacks target_compatible_with).
    """
    compatible_with = select({
        env_platform: [],
        "//conditions:default": [elsewhere],
    })
    hdrs = ["prefix/" + h for h in headers]
    includes = ["prefix/include"] if headers else []
    variants = [(name, "shared_library", shared_libraries, depends)]
    if static_libraries:
        variants.append(("static", "static_library", static_libraries, static_depends))
    for target, attribute, libraries, deps in variants:
        cc_library(
            name = target,
            hdrs = hdrs,
            includes = includes,
            target_compatible_with = compatible_with,
            visibility = ["//visibility:public"],
            deps = _imports(libraries, attribute) + deps,
        )

def _imports(paths, attribute):
    """A cc_import per library file, named after the file.

    Bazel links a shared library and puts it in the runfiles under that name, which for the
    SONAME link is the name the loader looks for.

    Args:
      paths: the library files, relative to the prefix.
      attribute: `shared_library` or `static_library`.

    Returns:
      The labels of the cc_import targets.
    """
    labels = []
    for path in paths:
        import_name = "_" + path.split("/")[-1]
        cc_import(**{"name": import_name, attribute: "prefix/" + path})
        labels.append(":" + import_name)
    return labels
