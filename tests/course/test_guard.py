"""The grading guard in a real kernel: replacing any part of the course package fails the tests.

The checks, their feedback, the numpy functions they captured and the guard itself now
live in several modules of nncourse; a learner who replaces a function in any of them,
rather than in ``T``, must be caught just the same, and an honest notebook must not be.
"""
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tools.notebooks import execute_notebook, stderr_of

pytestmark = pytest.mark.slow

SETUP = ("import numpy as np\nimport nnlib\nimport nncourse\nfrom nncourse import testing as T\n"
         "T.guard('np', 'T', 'nnlib')")
TEST = "T.check_close('one', 1.0, 1.0)\nwith T.Checks('two') as c:\n    c.close('two', 2.0, 2.0)"

ATTACKS = {
    "a check in its own module": ("import nncourse.checks\nnncourse.checks.check_close = lambda *a, **k: None",
                                  "nncourse.checks.check_close was replaced"),
    "the feedback's formatting": ("import nncourse.feedback as F\nF.fmt = lambda value: 'fine'",
                                  "nncourse.feedback.fmt was replaced"),
    "a captured numpy function": ("import nncourse._originals as O\nO.isclose = lambda *a, **k: True",
                                  "nncourse._originals.isclose was replaced"),
    "a method of Checks": ("T.Checks.close = lambda self, *a, **k: True", "T.Checks.close was replaced"),
    "the guard switched off": ("import nncourse.guard\nnncourse.guard._GUARD = None",
                               "the grading guard was switched off"),
    "a module of the package in sys.modules": ("import sys\nsys.modules['nncourse.checks'] = None",
                                       "sys.modules['nncourse.checks'] was replaced"),
}


def _run(tmp_path, nb_env, attack):
    cells = [new_code_cell(SETUP, id="setup")]
    if attack:
        cells.append(new_code_cell(attack, id="attack"))
    cells.append(new_code_cell(TEST, id="test"))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    execute_notebook(nb, tmp_path, env=nb_env, timeout=60)
    nbformat.validate(nb)
    return nb.cells[-1]


def test_an_honest_notebook_passes_in_silence(tmp_path, nb_env):
    cell = _run(tmp_path, nb_env, None)
    assert not [o for o in cell.outputs if o.output_type == "error"]
    assert stderr_of(cell) == ""


@pytest.mark.parametrize("what", sorted(ATTACKS))
def test_replacing_part_of_the_course_package_fails_the_tests(tmp_path, nb_env, what):
    attack, words = ATTACKS[what]
    cell = _run(tmp_path, nb_env, attack)
    errors = [o for o in cell.outputs if o.output_type == "error"]
    # nbgrader scores a test cell 0 for any stderr output, even when the check itself passed.
    assert words in stderr_of(cell), f"{what}: the guard said {stderr_of(cell)!r}"
    if what not in ("the guard switched off", "a module of the package in sys.modules"):
        assert errors and words in errors[0].evalue, f"{what}: the check did not fail"
