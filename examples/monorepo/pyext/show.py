"""Prints what the extension modules compute, and where the interpreter and modules are."""

import sys

import hello
import numpy
import npstats

print("npstats.total(numpy.arange(10)) = %g" % npstats.total(numpy.arange(10)))
print("hello.greet('conda') = %s" % hello.greet("conda"))
print("module = %s" % npstats.__file__.rsplit("/", 1)[-1])
print("python = %s" % sys.executable)
