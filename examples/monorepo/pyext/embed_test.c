/* Embeds the conda Python through @conda//python:libpython and runs code in it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>

int main(void) {
    Py_Initialize();
    int failed = PyRun_SimpleString("import sys\nassert sys.version_info >= (3,), sys.version\nprint('embedded', sys.version.split()[0])\n");
    if (Py_FinalizeEx() < 0) return 120;
    return failed ? 1 : 0;
}
