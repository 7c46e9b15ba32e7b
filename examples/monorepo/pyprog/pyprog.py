"""Loads the Go library with ctypes and calls what it exports.

Usage: pyprog.py LIBRARY [OTHER FILES...]; the first argument ending in .so, .dylib or .dll is
loaded (Bazel passes the library and its header).
"""

import ctypes
import sys


class Point(ctypes.Structure):
    _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double)]


VISIT = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p)


def load(paths):
    library = next(p for p in paths if p.endswith((".so", ".dylib", ".dll")))
    lib = ctypes.CDLL(library)
    lib.Add.restype = ctypes.c_int64
    lib.Add.argtypes = [ctypes.c_int64, ctypes.c_int64]
    lib.Greet.restype = ctypes.c_void_p
    lib.Greet.argtypes = [ctypes.c_char_p]
    lib.FreeString.argtypes = [ctypes.c_void_p]
    lib.Midpoint.restype = Point
    lib.Midpoint.argtypes = [Point, Point]
    lib.SumMapped.restype = ctypes.c_int64
    lib.SumMapped.argtypes = [ctypes.c_int64, VISIT, ctypes.c_void_p]
    return lib


def main():
    lib = load(sys.argv[1:])
    greeting = lib.Greet(b"python")
    text = ctypes.string_at(greeting).decode()
    lib.FreeString(greeting)
    mid = lib.Midpoint(Point(1, 2), Point(3, 6))
    squares = lib.SumMapped(10, VISIT(lambda value, _: value * value), None)
    print("Add(40, 2) = %d" % lib.Add(40, 2))
    print("Greet = %s" % text)
    print("Midpoint = %g,%g" % (mid.x, mid.y))
    print("SumOfSquares(10) = %d" % squares)


if __name__ == "__main__":
    main()
