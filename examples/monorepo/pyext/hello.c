/* hello: an extension module on the Python C API alone. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *greet(PyObject *self, PyObject *name) {
    (void)self;
    return PyUnicode_FromFormat("hello, %S", name);
}

static PyMethodDef methods[] = {
    {"greet", greet, METH_O, "A greeting for name."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "hello", "Greetings from C.", -1, methods};

PyMODINIT_FUNC PyInit_hello(void) {
    return PyModule_Create(&module);
}
