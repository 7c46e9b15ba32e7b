"""The extension modules, imported by a py_test on the conda Python."""

import os
import sys
import sysconfig
import unittest

import hello
import numpy
import npstats


class ExtensionTest(unittest.TestCase):
    def test_sums_numpy_arrays_through_the_numpy_c_api(self):
        self.assertEqual(npstats.total(numpy.arange(10, dtype=numpy.int32)), 45.0)
        self.assertEqual(npstats.total(numpy.full((3, 4), 0.5)), 6.0)
        with self.assertRaises(TypeError):
            npstats.total(numpy.array(["not", "numbers"]))

    def test_uses_the_python_c_api(self):
        self.assertEqual(hello.greet("conda"), "hello, conda")

    def test_runs_on_the_env_python_with_the_env_numpy(self):
        self.assertTrue(numpy.__file__.startswith(os.path.join(sys.prefix, "lib")), numpy.__file__)
        print("python = %s" % sys.executable)

    def test_module_is_named_by_the_interpreter_ext_suffix(self):
        self.assertEqual(os.path.basename(npstats.__file__), "npstats" + sysconfig.get_config_var("EXT_SUFFIX"))


if __name__ == "__main__":
    unittest.main()
