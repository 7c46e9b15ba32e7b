"""Extension modules for the conda environment's Python: load conda_py_extension from here.

Everything under private/ may change between releases.
"""

load("//private:py_extension.bzl", _conda_py_extension = "conda_py_extension")

conda_py_extension = _conda_py_extension
