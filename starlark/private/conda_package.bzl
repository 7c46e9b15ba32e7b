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
    shared = []
    for path in shared_libraries:
        # The import is named after the SONAME link it imports: Bazel links it under that name
        # and puts it in the runfiles under that name, where the loader looks for it.
        import_name = "_" + path.split("/")[-1]
        cc_import(
            name = import_name,
            shared_library = "prefix/" + path,
        )
        shared.append(":" + import_name)
    cc_library(
        name = name,
        hdrs = hdrs,
        includes = includes,
        target_compatible_with = compatible_with,
        visibility = ["//visibility:public"],
        deps = shared + depends,
    )
    if not static_libraries:
        return
    archives = []
    for path in static_libraries:
        import_name = "_" + path.split("/")[-1]
        cc_import(
            name = import_name,
            static_library = "prefix/" + path,
        )
        archives.append(":" + import_name)
    cc_library(
        name = "static",
        hdrs = hdrs,
        includes = includes,
        target_compatible_with = compatible_with,
        visibility = ["//visibility:public"],
        deps = archives + static_depends,
    )
