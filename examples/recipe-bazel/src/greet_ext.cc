// greet_ext: the greet library and the host env's zlib, from Python.
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <zlib.h>

#include <stdexcept>
#include <string>

#include "greet.h"

static PyObject *where(PyObject *, PyObject *) {
  return PyUnicode_FromString(greet::where().c_str());
}

static PyObject *roundtrip(PyObject *, PyObject *args) {
  const char *data;
  Py_ssize_t size;
  if (!PyArg_ParseTuple(args, "y#", &data, &size)) return nullptr;
  try {
    std::string out = greet::roundtrip(std::string(data, size));
    return PyBytes_FromStringAndSize(out.data(), out.size());
  } catch (const std::exception &e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
    return nullptr;
  }
}

// (zlib.h defines zlib_version as a macro.)
static PyObject *loaded_zlib(PyObject *, PyObject *) {
  return PyUnicode_FromString(zlibVersion());
}

static PyMethodDef methods[] = {
    {"where", where, METH_NOARGS, "Where the library and its build tool ran."},
    {"roundtrip", roundtrip, METH_VARARGS, "bytes compressed with zlib and back."},
    {"zlib_version", loaded_zlib, METH_NOARGS, "The version of the zlib loaded."},
    {nullptr, nullptr, 0, nullptr},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "greet_ext", nullptr, -1, methods};

PyMODINIT_FUNC PyInit_greet_ext(void) { return PyModule_Create(&module); }
