/* npstats: statistics over numpy arrays, through the numpy C API. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

/* total(array): the sum of the elements, converted to float64 (any shape, any numeric dtype). */
static PyObject *total(PyObject *self, PyObject *arg) {
    (void)self;
    PyArrayObject *array = (PyArrayObject *)PyArray_FROM_OTF(arg, NPY_DOUBLE, NPY_ARRAY_IN_ARRAY);
    if (array == NULL) return NULL;
    const double *data = (const double *)PyArray_DATA(array);
    npy_intp count = PyArray_SIZE(array);
    double sum = 0;
    for (npy_intp i = 0; i < count; i++) sum += data[i];
    Py_DECREF(array);
    return PyFloat_FromDouble(sum);
}

static PyMethodDef methods[] = {
    {"total", total, METH_O, "Sum of an array's elements, as float64."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "npstats", "Statistics over numpy arrays.", -1, methods};

PyMODINIT_FUNC PyInit_npstats(void) {
    import_array();
    return PyModule_Create(&module);
}
