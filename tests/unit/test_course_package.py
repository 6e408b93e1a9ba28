"""The split between the library and the course: what imports what, and the course package's
shared pieces (manifest, notebook model, names, figures) tested on their own."""
import ast
import copy
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from nncourse import manifest, names, notebook

REPO = manifest.REPO
PACKAGE_DIRS = {"nnlib": REPO / "nnlib", "nncourse": REPO / "nncourse", "tools": REPO / "tools"}
# Who may import whom: imports run one way, nnlib <- nncourse <- tools <- tests and benchmarks.
MAY_IMPORT = {"nnlib": set(), "nncourse": {"nnlib"}, "tools": {"nnlib", "nncourse"}}
OURS = {"nnlib", "nncourse", "tools", "tests", "benchmarks", "nbutil", "harness", "hubutil", "browser_util"}


def _imported_roots(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_imports_run_one_way(package):
    """No module imports a package above it (nnlib never sees the course, nothing sees tests/)."""
    wrong = sorted({f"{path.relative_to(REPO)} imports {root}"
                    for path in PACKAGE_DIRS[package].rglob("*.py")
                    for root in _imported_roots(path)
                    if root in OURS and root != package and root not in MAY_IMPORT[package]})
    assert not wrong, "imports against the direction nnlib <- nncourse <- tools:\n" + "\n".join(wrong)


def test_import_nnlib_loads_no_course_plotting_or_sklearn():
    code = ("import sys, nnlib\n"
            "heavy = [m for m in ('sklearn', 'matplotlib', 'nncourse', 'nbgrader', 'IPython', 'scipy')\n"
            "         if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"import nnlib also imported {out.stdout.strip()}"


def test_the_checks_load_without_nbgrader_or_plotting():
    """A learner's setup cell imports the checks: nothing slow or grader-side comes with them."""
    code = ("import sys\nfrom nncourse import testing\n"
            "print([m for m in ('nbgrader', 'matplotlib', 'sklearn', 'ipywidgets', 'tools') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


# --- manifest ---------------------------------------------------------------------------

def test_every_exercise_has_graded_tests_with_points():
    for aid in manifest.ASSIGNMENTS:
        points = manifest.exercise_points(aid)
        assert set(points) == set(manifest.EXERCISES[aid])
        empty = [name for name, total in points.items() if total <= 0]
        assert not empty, f"{aid}: no points for {empty}"


def test_packages_the_sandbox_exposes_exist():
    for name in manifest.PACKAGES:
        assert (REPO / name / "__init__.py").is_file(), name


# --- notebook model ---------------------------------------------------------------------

@pytest.mark.parametrize("metadata", [None, [], "x", {"nbgrader": None}, {"nbgrader": ["grade"]},
                                      {"nbgrader": {"grade": True, "points": "lots"}}])
def test_malformed_metadata_never_raises(metadata):
    cell = {"cell_type": "code", "source": ["a = 1\n", "b = 2"], "metadata": metadata}
    notebook.is_answer(cell), notebook.is_test(cell), notebook.is_locked(cell)
    assert notebook.points(cell) == 0.0
    assert notebook.source(cell) == "a = 1\nb = 2"


def test_predicates_agree_with_nbgrader_on_the_course_notebooks():
    from nbgrader import utils

    for aid in manifest.ASSIGNMENTS:
        for cell in notebook.read(manifest.source_path(aid)).cells:
            assert notebook.is_answer(cell) == bool(utils.is_solution(cell))
            assert notebook.is_graded(cell) == bool(utils.is_grade(cell))
            assert notebook.is_locked(cell) == bool(utils.is_locked(cell))


def test_released_source_is_what_nbgrader_releases():
    """released_source strips hidden tests exactly as nbgrader's ClearHiddenTests does."""
    from nbconvert.exporters.exporter import ResourcesDict
    from nbgrader.preprocessors import ClearHiddenTests

    clear = ClearHiddenTests()
    compared = 0
    for aid in manifest.ASSIGNMENTS:
        for index, cell in enumerate(notebook.read(manifest.source_path(aid)).cells):
            if notebook.is_test(cell) and notebook.HIDDEN_BEGIN in cell.source:
                theirs, _ = clear.preprocess_cell(copy.deepcopy(cell), ResourcesDict(), index)
                assert notebook.released_source(cell.source) == theirs.source
                compared += 1
    assert compared > 20


def test_read_refuses_what_is_not_a_notebook(tmp_path):
    (tmp_path / "a.ipynb").write_text("{not json")
    (tmp_path / "b.ipynb").write_text(json.dumps({"cells": "none"}))
    for name in ("a.ipynb", "b.ipynb"):
        with pytest.raises(ValueError):
            notebook.read(tmp_path / name)
    with pytest.raises(FileNotFoundError):
        notebook.read(tmp_path / "missing.ipynb")


def test_exercise_of_test_takes_the_longest_name():
    assert notebook.exercise_of_test("test_neuron_vectorised_hidden", ("neuron", "neuron_vectorised")) \
        == "neuron_vectorised"
    assert notebook.exercise_of_test("test_other", ("neuron",)) is None


def test_names_a_cell_binds_and_reads():
    tree = ast.parse("import numpy as np\nfrom x import y as z\nfor i in range(3):\n    k = i\n"
                     "def f(a):\n    inner = a\n    return g\n[q for q in ()]\ntry:\n    pass\n"
                     "except Exception as err:\n    pass\n")
    assert names.bound_names(tree) == {"np", "z", "i", "k", "f", "err"}
    assert "g" in names.free_names(tree) and "inner" not in names.free_names(tree)
    assert names.global_reads(ast.parse("def f():\n    x = 1\n    return x + y\n")) == {"y"}


# --- figures ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["neuron_analogy", "matmul_shapes", "layer_graph", "training_loop"])
def test_figures_draw_without_warnings(name):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nncourse import figures

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = getattr(figures, name)()
        fig.canvas.draw()
    try:
        assert fig.axes and all(ax.get_title() or fig.get_suptitle() for ax in fig.axes)
        drawn = sum(len(ax.patches) + len(ax.lines) + len(ax.texts) for ax in fig.axes)
        assert drawn >= 8, f"{name} drew only {drawn} artists"
    finally:
        plt.close(fig)


def test_notebooks_draw_with_the_course_figures_not_long_cells():
    """The notebooks' drawing code lives in nncourse.figures: no ungraded cell is a long drawing."""
    long_cells = []
    for aid in manifest.ASSIGNMENTS:
        for index, cell in enumerate(notebook.read(manifest.source_path(aid)).cells):
            text = notebook.source(cell)
            if notebook.is_code(cell) and not notebook.nbgrader_meta(cell) \
                    and len(text.splitlines()) > 25 and ("add_patch(" in text or "annotate(" in text):
                long_cells.append(f"{aid} cell {index}")
    assert not long_cells, long_cells
