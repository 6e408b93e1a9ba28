"""Unit tests of the tamper scan (tools/tamper/) on small synthetic notebooks.

A four-cell assignment (locked setup, answer, graded test with hidden tests, markdown)
plays the course; an honest submission must give no flag, and each way of tampering,
or of reaching outside the notebook's folder (files, databases, the network, the
environment), must give a flag of its kind, on the right cell and line, starting with
the student id; look-alikes must give none. The course's own notebooks must give none.
"""
import ast
import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from nncourse.names import bound_names, free_names  # noqa: E402
from tools import tamper  # noqa: E402
from tools.tamper.parsing import dotted, transform  # noqa: E402

AID = "07_demo"


def _meta(grade_id, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


SETUP = "import numpy as np\nimport nnlib\nfrom nncourse import testing as T\n\nHELPER = np.arange(3.0)"
TEST_VISIBLE = 'T.check_own(double, "double")\nT.check_close("double(HELPER)", double(HELPER), 2 * HELPER)'
TEST_HIDDEN = TEST_VISIBLE + "\n### BEGIN HIDDEN TESTS\nT.check_equal(\"len\", len(double(np.ones(4))), 4)\n### END HIDDEN TESTS"


def source_notebook():
    """The instructor's version (solutions/)."""
    cells = [
        new_markdown_cell("# Demo\nPoints: 2 total", id="demo-md-00"),
        new_code_cell(SETUP, id="setup", metadata=_meta("setup", locked=True)),
        new_code_cell('def double(x):\n    """Twice x."""\n    ### BEGIN SOLUTION\n    return 2 * x\n'
                      "    ### END SOLUTION", id="double", metadata=_meta("double", solution=True)),
        new_code_cell(TEST_HIDDEN, id="test_double", metadata=_meta("test_double", grade=True,
                                                                     locked=True, points=2)),
        new_code_cell("print(nnlib.neuron([1.0], [2.0], 0.5))", id="demo-code-01"),
        new_markdown_cell("## What you built", id="demo-md-01"),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                            "display_name": "Python 3"}})
    nb.nbformat_minor = 5
    return nb


def honest_submission():
    """What a learner hands in: the release, answered, with a cell of their own."""
    nb = copy.deepcopy(source_notebook())
    nb.cells[2].source = 'def double(x):\n    """Twice x."""\n    return x + x'
    nb.cells[3].source = TEST_VISIBLE
    nb.cells[3].metadata["nbgrader"]["checksum"] = "0123abcd"  # nbgrader adds these; not a change
    nb.cells.insert(5, new_code_cell(
        "%matplotlib inline\nimport numpy as np\nfrom nncourse import testing as T\n"
        "values = [double(v) for v in range(3)]\n%timeit double(1)\n"
        "def helper(len):\n    total = 0\n    for T in range(len):\n        total += T\n    return total\n"
        "class Layer:\n    def __init__(self):\n        self.W = np.zeros(2)\n"
        "try:\n    double(None)\nexcept Exception:\n    pass\n"
        "print(np.allclose(double(HELPER), 2 * HELPER), [np for np in range(2)])",
        id="learner-1"))
    return nb


@pytest.fixture(scope="module")
def ref():
    return tamper.Reference.from_notebook(json.loads(nbformat.writes(source_notebook())), AID)


def scan(nb, ref, student="mallory"):
    return tamper.scan_notebook(json.loads(nbformat.writes(nb)), ref, student)


def with_cell(code):
    nb = honest_submission()
    nb.cells.insert(5, new_code_cell(code, id="added"))
    return nb


def test_honest_submission_has_no_flags(ref):
    assert scan(honest_submission(), ref) == []


def test_unchanged_release_has_no_flags(ref):
    nb = source_notebook()
    nb.cells[2].source = 'def double(x):\n    """Twice x."""\n    # YOUR CODE HERE\n    raise NotImplementedError()'
    nb.cells[3].source = TEST_VISIBLE
    assert scan(nb, ref) == []


def test_reference_knows_what_the_tests_use(ref):
    # Free names of the test cell (hidden part included), except the exercise itself.
    assert {"T", "np", "HELPER", "len"} <= set(ref.protected)
    assert "double" not in ref.protected


# (code of a cell the learner adds, the flag kind expected, its line inside that cell)
TAMPERING = [
    ("np.allclose = lambda *a, **k: True", "patch", 1),
    ("import numpy.testing as npt\nnpt.assert_allclose = lambda *a, **k: None", "patch", 2),
    ("x = np.testing\nx.assert_allclose = None", "patch", 2),
    ("T.check_close = print", "patch", 1),
    ("setattr(T, 'check_close', print)", "patch", 1),
    ("del np.isclose", "patch", 1),
    ("vars(np)['allclose'] = all", "patch", 1),
    ("np.__dict__.update(allclose=all)", "patch", 1),
    ("import builtins\nbuiltins.len = lambda x: 0", "patch", 2),
    ("nncourse.testing.check_own = print", "patch", 1),
    ("HELPER[0] = 5.0", "patch", 1),
    ("import sys\nsys.modules['nncourse.testing'] = None", "patch", 2),
    ("from unittest import mock\nmock.patch('numpy.allclose', return_value=True).start()", "patch", 2),
    ("def cheat():\n    np.isclose = None\ncheat()", "patch", 2),
    ("T = None", "shadow", 1),
    ("def len(x):\n    return 0", "shadow", 1),
    ("from numpy import *", "shadow", 1),
    ("HELPER = np.zeros(3)", "shadow", 1),
    ("import math as np", "shadow", 1),
    ("globals()['T'] = 1", "shadow", 1),
    ("def f():\n    global HELPER\n    HELPER = 0", "shadow", 3),
    ("import sys\nsys.exit()", "exit", 2),
    ("import os\nos._exit(0)", "exit", 2),
    ("from os import _exit\n_exit(1)", "exit", 2),
    ("raise SystemExit", "exit", 1),
    ("exit()", "exit", 1),
    ("import ctypes", "ctypes", 1),
    ("from ctypes import CDLL", "ctypes", 1),
    ("lib = __import__('ctypes')", "ctypes", 1),
    ("get_ipython().set_custom_exc((Exception,), None)", "kernel", 1),
    ("ip = get_ipython()\nip.events.register('post_run_cell', print)", "kernel", 2),
    ("from IPython import get_ipython\nget_ipython()._showtraceback = print", "kernel", 2),
    ("import sys\nsys.stderr = open('/dev/null', 'w')", "kernel", 2),
    ("while True:\n    try:\n        pass\n    except KeyboardInterrupt:\n        pass", "kernel", 4),
    ("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)", "kernel", 2),
    ("import sys\nsys.path.insert(0, '/tmp')", "kernel", 2),
    ("x = 1\n!rm -rf build", "shell", 2),
    ("%%bash\necho hello", "shell", 1),
    ("%%writefile numpy.py\nallclose = None", "shell", 1),
    ("import subprocess\nsubprocess.run(['ls'])", "shell", 2),
    ("import os\nos.system('ls')", "shell", 2),
    ("open('nnlib.py', 'w').write('')", "shell", 1),
    ("exec('np.allclose = None')", "dynamic", 1),
    ("import importlib\nmodule = importlib.import_module(input())", "dynamic", 2),
]


def assert_flagged(ref, code, kind, line):
    """The cell `code`, added to an honest submission, gets a `kind` flag first at `line`."""
    flags = scan(with_cell(code), ref)
    mine = [f for f in flags if f.kind == kind]
    assert mine, f"no {kind!r} flag for:\n{code}\nflags: {[str(f) for f in flags]}"
    flag = mine[0]
    assert flag.cell == "cell 6 (added)", str(flag)  # the added cell is the 6th of the notebook
    assert flag.line == line, str(flag)
    assert str(flag).startswith("mallory "), str(flag)
    assert f"{AID}/{AID}.ipynb" in str(flag)
    return flag


@pytest.mark.parametrize("code, kind, line", TAMPERING, ids=[f"{k}-{i}" for i, (_, k, _) in enumerate(TAMPERING)])
def test_code_that_tampers_is_flagged(ref, code, kind, line):
    assert_flagged(ref, code, kind, line)


# Code that reaches outside the notebook's folder: (code, flag kind, line), as above.
REACHING_OUT = [
    ('open("/etc/passwd")', "path", 1),
    ('from pathlib import Path\nPath("/work/course/gradebook.db")', "path", 2),
    ('import os\nos.listdir("/")', "path", 2),
    ('import os\nfor root, dirs, files in os.walk("/"):\n    pass', "path", 2),
    ('bob = "../../bob/01_neurons"', "path", 1),
    ('import os\nos.chdir("..")', "path", 2),
    ('from glob import glob\nglob("../*")', "path", 2),
    ("from pathlib import Path\nup = Path.cwd().parent", "path", 2),
    ("from pathlib import Path\nhere = Path.cwd()\nprint(here.parents[1])", "path", 3),
    ('from pathlib import Path\nPath(".").resolve().parent', "path", 2),
    ("def peek():\n    from pathlib import Path\n    return list(Path.cwd().parents)", "path", 3),
    ("import os\nos.path.dirname(os.getcwd())", "path", 2),
    ('import os.path as osp\ncourse = osp.dirname(osp.dirname(osp.abspath("data.csv")))', "path", 2),
    ("import os\nos.path.join(os.getcwd(), os.pardir)", "path", 2),
    ('from pathlib import Path\nnotes = Path.home() / "notes"', "path", 2),
    ('name = "bob"\nopen(f"/home/{name}/01_neurons.ipynb")', "path", 2),
    ('import shutil\nshutil.copy("01_neurons.ipynb", "/tmp/")', "path", 2),
    ("%cd /tmp", "path", 1),
    ("import sqlite3", "database", 1),
    ('x = 1\ndb = __import__("sqlite3")', "database", 2),
    ("from nbgrader.api import Gradebook", "database", 1),
    ('import nbgrader\ngb = nbgrader.api.Gradebook("sqlite:///gradebook.db")', "database", 2),
    ("import psycopg2", "database", 1),
    ("import psycopg", "database", 1),
    ("from sqlalchemy import create_engine", "database", 1),
    ("import dbm", "database", 1),
    ('import shelve as sh\nstate = sh.open("state")', "database", 1),
    ("import socket", "network", 1),
    ("from socket import gethostname\nprint(gethostname())", "network", 1),
    ("from urllib.request import urlopen", "network", 1),
    ("import urllib\nurllib.request.urlopen('https://example.com')", "network", 2),
    ("import http.client", "network", 1),
    ("from http.server import HTTPServer", "network", 1),
    ('import requests\nrequests.get("https://example.com")', "network", 1),
    ("import httpx", "network", 1),
    ("import aiohttp", "network", 1),
    ("import ftplib", "network", 1),
    ("import smtplib", "network", 1),
    ("import telnetlib", "network", 1),
    ('import asyncio\nasyncio.open_connection("example.com", 80)', "network", 2),
    ("import websocket", "network", 1),
    ("import websockets", "network", 1),
    ("import zmq", "network", 1),
    ('X = np.loadtxt("https://example.com/iris.csv")', "network", 1),
    ("from sklearn.datasets import fetch_openml", "network", 1),
    ("%pip install requests", "network", 1),
    ('import os\nhome = os.environ["HOME"]', "system", 2),
    ('import os\nos.environ["OMP_NUM_THREADS"] = "64"', "system", 2),
    ('import os\nprint(os.getenv("JUPYTERHUB_API_TOKEN"))', "system", 2),
    ("import os\nos.environb", "system", 2),
    ('import os\nos.putenv("A", "1")', "system", 2),
    ('from os import environ as env\nenv.get("USER")', "system", 1),
    ('import os\nsettings = os.environ\nsettings.get("USER")', "system", 2),
    ("%env", "system", 1),
    ('secrets = open("/proc/self/environ").read()', "system", 1),
    ('pid = 1\nopen(f"/proc/{pid}/cmdline")', "system", 2),
    ("import psutil", "system", 1),
    ("import os\nos.getppid()", "system", 2),
    ("import os\nos.getlogin()", "system", 2),
    ("import pwd", "system", 1),
    ("import grp", "system", 1),
    ("import resource", "system", 1),
    ("import platform\nplatform.node()", "system", 2),
    ("import getpass\ngetpass.getuser()", "system", 2),
]


@pytest.mark.parametrize("code, kind, line", REACHING_OUT,
                         ids=[f"{k}-{i}" for i, (_, k, _) in enumerate(REACHING_OUT)])
def test_code_that_reaches_outside_the_notebook_is_flagged(ref, code, kind, line):
    flag = assert_flagged(ref, code, kind, line)
    assert flag.message.endswith(tamper.REACH_WHY[kind]), str(flag)  # says why it matters


# Code that looks like reaching outside but is not: no flag at all.
NEAR_MISSES = [
    'open("results.txt", "w").write("done")',
    'with open("data/train.csv") as fh:\n    rows = fh.read()',
    'parts = "a/b".split("/")\njoined = "/".join(parts)\nratio = 3 / 4',
    'print("Read more at http://example.com")',
    'print("labels run 0 .. 9; loading...")',
    'print("/processes are listed by ps")',
    "class Settings:\n    environ = {}\nx = Settings()\nprint(x.environ)",
    "socket_size = 4\nsqlite_rows = socket_size * 2",
    'requests = []\nrequests.append("more")',
    "class Node:\n    def __init__(self, parent):\n        self.parent = parent\nNode(None).parent",
    'from pathlib import Path\nout = Path("results") / "run1.txt"\nout.parent.mkdir(parents=True, exist_ok=True)',
    'from pathlib import Path\nprint(Path.cwd(), Path("data.csv").parent.parent)',
    'import os\nos.makedirs(os.path.join(os.getcwd(), "results"), exist_ok=True)',
    'import os\nfolder = os.path.dirname(os.path.abspath("data.csv"))',
    'np.savetxt("weights.csv", np.zeros(3), delimiter="/")',
    "from urllib.parse import urlparse\nfrom http import HTTPStatus",
    "import platform\nprint(platform.python_version())",
    "import time\nstart = time.perf_counter()\nrng = np.random.default_rng(0)",
    "from sklearn.datasets import load_iris\nX, y = load_iris(return_X_y=True)",
    "%cd results",
]


@pytest.mark.parametrize("code", NEAR_MISSES)
def test_code_that_stays_in_the_notebook_is_not_flagged(ref, code):
    flags = scan(with_cell(code), ref)
    assert flags == [], [str(f) for f in flags]


def test_reaching_outside_is_flagged_once_per_cell_and_thing(ref):
    code = 'import sqlite3\ncon = sqlite3.connect("x.db")\ncon2 = sqlite3.connect("y.db")\nimport shelve'
    flags = scan(with_cell(code), ref)
    assert [(f.kind, f.line) for f in flags] == [("database", 1), ("database", 4)], [str(f) for f in flags]
    assert flags[0].message.startswith("imports sqlite3:")
    nb = with_cell("import sqlite3")
    nb.cells.insert(6, new_code_cell('sqlite3.connect("x.db")', id="later"))
    flags = scan(nb, ref)
    assert [(f.cell, f.line) for f in flags] == [("cell 6 (added)", 1), ("cell 7 (later)", 1)]
    assert flags[1].message.startswith("uses sqlite3.connect:")


def test_tampering_inside_an_answer_cell_is_flagged(ref):
    nb = honest_submission()
    nb.cells[2].source = 'def double(x):\n    """Twice x."""\n    np.allclose = lambda *a, **k: True\n    return x'
    flags = scan(nb, ref)
    assert [(f.kind, f.cell, f.line) for f in flags] == [("patch", "cell 3 (double)", 3)]


def test_a_test_cell_with_changed_points_is_flagged(ref):
    nb = honest_submission()
    nb.cells[3].metadata["nbgrader"]["points"] = 200
    flags = scan(nb, ref)
    assert [f.kind for f in flags] == ["metadata"]
    assert "points changed from 2 to 200" in flags[0].message
    assert flags[0].cell == "cell 4 (test_double)"


@pytest.mark.parametrize("key, value", [("grade", False), ("locked", False), ("solution", True)])
def test_changed_nbgrader_flags_are_flagged(ref, key, value):
    nb = honest_submission()
    nb.cells[3].metadata["nbgrader"][key] = value
    assert [f.kind for f in scan(nb, ref)] == ["metadata"]


def test_a_test_cell_turned_into_markdown_is_flagged(ref):
    nb = honest_submission()
    cell = nb.cells[3]
    nb.cells[3] = new_markdown_cell(cell.source, id=cell.id, metadata=cell.metadata)
    flags = scan(nb, ref)
    assert any(f.kind == "metadata" and "cell type" in f.message for f in flags), [str(f) for f in flags]


def test_removed_nbgrader_metadata_is_flagged(ref):
    nb = honest_submission()
    del nb.cells[3].metadata["nbgrader"]
    flags = scan(nb, ref)
    assert [(f.kind, f.cell) for f in flags] == [("metadata", "cell 4 (test_double)")]


def test_duplicated_and_unknown_grade_ids_are_flagged(ref):
    nb = honest_submission()
    copy_cell = copy.deepcopy(nb.cells[3])
    copy_cell.id = "copy-of-test"
    nb.cells.insert(2, copy_cell)
    nb.cells.append(new_code_cell("pass", id="bonus", metadata=_meta("test_bonus", grade=True, points=50)))
    messages = [f.message for f in scan(nb, ref) if f.kind == "metadata"]
    assert any("appears 2 times" in m for m in messages), messages
    assert any("'test_bonus' is not in the assignment" in m for m in messages), messages


@pytest.mark.parametrize("index, what", [(3, "graded test cell 'test_double' (2 points)"),
                                         (1, "locked cell 'setup'")])
def test_deleted_cells_are_flagged(ref, index, what):
    nb = honest_submission()
    del nb.cells[index]
    flags = [f for f in scan(nb, ref) if f.kind == "removed"]
    assert len(flags) == 1 and what in flags[0].message, [str(f) for f in flags]
    assert flags[0].cell == "-" and flags[0].line is None


def test_edited_locked_cells_are_flagged_at_the_changed_line(ref):
    nb = honest_submission()
    nb.cells[3].source = TEST_VISIBLE.replace("2 * HELPER", "double(HELPER)")
    nb.cells[1].source = SETUP + "\nnp.allclose = lambda *a, **k: True"
    flags = scan(nb, ref)
    assert sorted((f.kind, f.cell, f.line) for f in flags) == [
        ("edited", "cell 2 (setup)", 6), ("edited", "cell 4 (test_double)", 2)]


def test_an_edited_demo_cell_is_scanned_as_learner_code(ref):
    nb = honest_submission()
    nb.cells[4].source = "HELPER = np.ones(3)\nprint(nnlib.neuron([1.0], [2.0], 0.5))"
    flags = scan(nb, ref)
    assert [(f.kind, f.cell, f.line) for f in flags] == [("shadow", "cell 5 (demo-code-01)", 1)]


def test_code_hidden_in_a_demo_cell_behind_hidden_test_markers_is_scanned(ref):
    """A course cell never carries a hidden-test region once released: one in a learner's
    copy is theirs, and must not make the cell pass for the unchanged course cell."""
    nb = honest_submission()
    nb.cells[4].source = ("### BEGIN HIDDEN TESTS\nimport os\nos.system('curl x')\n### END HIDDEN TESTS\n"
                          "print(nnlib.neuron([1.0], [2.0], 0.5))")
    kinds = {f.kind for f in scan(nb, ref)}
    assert "shell" in kinds, kinds


def test_malformed_nbgrader_metadata_is_flagged_not_a_crash(ref, tmp_path):
    nb = json.loads(nbformat.writes(honest_submission()))
    nb["cells"][5]["metadata"]["nbgrader"] = {"grade_id": ["x"], "grade": True, "points": 1}
    nb["cells"][3]["metadata"]["nbgrader"] = [1]
    nb["cells"].insert(0, "not a cell")
    path = tmp_path / f"{AID}.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    flags = tamper.scan_notebook(tamper.read_notebook(path), ref, "mallory")
    assert sorted((f.kind, f.cell, f.message) for f in flags) == [
        ("metadata", "cell 4 (test_double)", "the nbgrader metadata of 'test_double' was removed or its "
                                             "grade_id changed"),
        ("metadata", "cell 6 (learner-1)", """grade_id '["x"]' is not in the assignment""")], \
        [str(f) for f in flags]


def test_syntax_errors_are_not_flags(ref):
    assert scan(with_cell("def broken(:\n    pass"), ref) == []


@pytest.fixture
def course(tmp_path):
    """A course root with the demo source and two students' submissions."""
    (tmp_path / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.source_directory = "solutions"\n')
    src = tmp_path / "solutions" / AID
    src.mkdir(parents=True)
    nbformat.write(source_notebook(), src / f"{AID}.ipynb")
    for student, nb in (("alice", honest_submission()), ("mallory", with_cell("np.allclose = all"))):
        folder = tmp_path / "submitted" / student / AID
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{AID}.ipynb")
    return tmp_path


def test_extra_importable_files_are_flagged(course):
    folder = course / "submitted" / "alice" / AID
    (folder / "numpy.py").write_text("allclose = None\n")
    (folder / "nnlib").mkdir()
    (folder / "nnlib" / "__init__.py").write_text("")
    (folder / "nnlib" / "testing.py").write_text("")
    (folder / "notes.txt").write_text("harmless\n")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "helper.py").write_text("")
    flags, problems, scanned = tamper.scan_course(course)
    extra = sorted(f.notebook for f in flags if f.student == "alice")
    assert extra == [f"{AID}/nnlib/", f"{AID}/numpy.py"]
    assert all(f.kind == "extra" for f in flags if f.student == "alice")
    assert scanned == 2 and problems == []


def test_unreadable_and_missing_notebooks_are_problems_not_flags(course):
    (course / "submitted" / "alice" / AID / f"{AID}.ipynb").write_text("{not json")
    (course / "submitted" / "bob" / AID).mkdir(parents=True)
    flags, problems, _ = tamper.scan_course(course)
    assert {f.student for f in flags} == {"mallory"}
    assert sorted((s, text.split(" ")[0]) for s, _, text in problems) == [("alice", "not"), ("bob", "missing")]


def test_scan_command_prints_one_line_per_flag_starting_with_the_student(course):
    proc = subprocess.run([sys.executable, "-m", "tools.grading", "--root", str(course), "scan"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith(f"mallory  {AID}/{AID}.ipynb  cell 6 (added)  line 1  [patch]"), proc.stdout
    assert "1 flag on 1 student (mallory)" in lines[-1] and "grades are not changed" in lines[-1]
    strict = subprocess.run([sys.executable, "-m", "tools.grading", "--root", str(course), "scan",
                             "--strict", "--tsv"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert strict.returncode == 1
    assert strict.stdout.split("\t")[:5] == ["mallory", f"{AID}/{AID}.ipynb", "cell 6 (added)", "1", "patch"]


# ------------------------------------------------------- the course notebooks themselves

COURSE_ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir()
                            if (p / f"{p.name}.ipynb").is_file())


def _code_cells(aid):
    nb = nbformat.read(REPO / "solutions" / aid / f"{aid}.ipynb", as_version=nbformat.NO_CONVERT)
    return [c for c in nb.cells if c.cell_type == "code"]


def _is_test_cell(cell):
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


@pytest.mark.parametrize("aid", COURSE_ASSIGNMENTS)
def test_setup_cell_guards_every_name_the_tests_take_from_it(aid):
    cells = _code_cells(aid)
    setup = ast.parse(cells[0].source)
    last = setup.body[-1] if setup.body else None
    assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) \
        and dotted(last.value.func) == "T.guard", \
        f"{aid}: the setup cell must end with T.guard(...)"
    guarded = {a.value for a in last.value.args if isinstance(a, ast.Constant)}
    used = set().union(*(free_names(ast.parse(c.source)) for c in cells if _is_test_cell(c)))
    missing = (bound_names(setup) & used) - guarded
    assert not missing, f"{aid}: test cells use {sorted(missing)} from the setup cell, but T.guard leaves them out"
    assert {"np", "T", "nnlib"} <= guarded


@pytest.mark.parametrize("aid", COURSE_ASSIGNMENTS)
def test_tests_read_nothing_from_cells_a_learner_can_edit(aid):
    """A name a test cell reads must come from a locked cell, an answer or the test itself.

    Unlocked demo cells run as the learner left them (nbgrader restores only locked and
    graded cells), so a test that read X_train from one could be pointed at easy data.
    """
    cells = _code_cells(aid)
    editable = set()
    for cell in cells:
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("locked") or meta.get("solution") or meta.get("grade")):
            editable |= bound_names(ast.parse(transform(cell.source)))
    protected = set()
    for cell in cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("locked") or meta.get("solution"):
            protected |= bound_names(ast.parse(cell.source))
    problems = []
    for cell in cells:
        if _is_test_cell(cell):
            risky = (free_names(ast.parse(cell.source)) & editable) - protected
            if risky:
                problems.append(f"{cell.metadata['nbgrader']['grade_id']} reads {sorted(risky)}")
    assert not problems, f"{aid}: " + "; ".join(problems)


@pytest.mark.parametrize("aid", COURSE_ASSIGNMENTS)
def test_the_reference_answers_give_no_flags(aid):
    """The source notebook handed in as it is: its answer cells are scanned like a learner's."""
    path = REPO / "solutions" / aid / f"{aid}.ipynb"
    flags = tamper.scan_notebook(tamper.read_notebook(path), tamper.Reference.from_path(path))
    assert flags == [], [str(f) for f in flags]


@pytest.mark.parametrize("aid", COURSE_ASSIGNMENTS)
def test_no_course_cell_reaches_outside_the_notebook(aid):
    """Every code cell of the source scanned as a learner's, as an edited demo cell would be."""
    nb = tamper.read_notebook(REPO / "solutions" / aid / f"{aid}.ipynb")
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("nbgrader", None)
    flags = tamper.scan_notebook(nb, tamper.Reference.from_notebook({"cells": []}, aid))
    reaching = [str(f) for f in flags if f.kind in tamper.REACH_WHY]
    assert not reaching, reaching


def test_every_flag_kind_is_documented():
    in_docstring = re.findall(r"^(\w+) {2,}", tamper.__doc__.split("Flag kinds")[1], re.M)
    guide = (REPO / "docs" / "instructor.md").read_text(encoding="utf-8")
    table = guide[guide.index("| kind | what it means |"):].split("\n\n")[0]
    in_guide = re.findall(r"^\| `(\w+)` \|", table, re.M)
    assert tuple(in_docstring) == tamper.KINDS == tuple(in_guide)
    with pytest.raises(ValueError, match="unknown flag kind"):
        tamper.Flag("mallory", f"{AID}/{AID}.ipynb", "-", None, "pathh", "a typo in the scan")
