"""Writes the `python/` package of the @conda repository: the environment's Python headers, its
libpython and numpy's headers, for extension modules (conda_py_extension) and embedding."""

load(":render.bzl", "render_call")

def conda_python_package(rctx, python, target_compatible_with, write_package):
    """Links what the Python ships into `python/` and writes the package's BUILD file.

    Each directory or library is linked into the package, so that actions name it by a path
    inside the repository, never by the machine's prefix path.

    Args:
      rctx: the repository_ctx.
      python: the `python` object of `conda-bazel describe --json`.
      target_compatible_with: constraints of the environment's own platform.
      write_package: writes a package's BUILD file (the caller's, shared by every package).
    """
    kwargs = [
        ("name", "python"),
        ("ext_suffix", python["extSuffix"] or ""),
        ("target_compatible_with", target_compatible_with),
    ]
    if python["includeDir"]:
        rctx.symlink(python["includeDir"], "python/include")
        kwargs.append(("include_dir", "include"))
    if python["libpython"]:
        library = "lib/" + python["libpython"].split("/")[-1]
        rctx.symlink(python["libpython"], "python/" + library)
        kwargs.append(("libpython", library))
    if python["numpyInclude"]:
        rctx.symlink(python["numpyInclude"], "python/numpy/include")
        kwargs.append(("numpy_include_dir", "numpy/include"))
    write_package(rctx, "python", Label("//private:python_package.bzl"), "conda_python_package", render_call("conda_python_package", kwargs))
