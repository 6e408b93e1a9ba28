"""The notebook model shared by the grading tools, the tests and the benchmarks.

A notebook here is what nbformat reads: cells with ``cell_type``, ``source`` and
``metadata``. Which cells nbgrader treats as answers, tests or locked cells is
decided by :mod:`nbgrader.utils`, the functions nbgrader itself grades with, so the
tools cannot disagree with nbgrader about a cell. Submitted notebooks are untrusted:
a learner can hand in metadata of any shape, so every predicate first reduces a
cell's nbgrader metadata to a dict (or to none at all) and never raises on it.

Marked regions (``### BEGIN SOLUTION`` ... ``### END SOLUTION`` and the hidden-test
markers) are matched the way nbgrader's ClearSolutions and ClearHiddenTests match
them: a line that contains nbgrader's delimiter (``BEGIN SOLUTION`` ...) is a marker.
"""
import json
from pathlib import Path

import nbformat
from nbgrader import utils as nbgrader_utils

__all__ = [
    "SOLUTION_BEGIN", "SOLUTION_END", "HIDDEN_BEGIN", "HIDDEN_END", "STUB_LINES",
    "read", "nbgrader_meta", "grade_id", "points", "source", "is_code", "is_answer",
    "is_graded", "is_test", "is_locked", "cell_label", "regions", "strip_region",
    "released_source", "submitted_answer", "exercise_of_test", "tests_by_exercise",
    "setup_cell",
]

# nbgrader's own delimiters (ClearSolutions, ClearHiddenTests): a line that contains one is a marker.
SOLUTION_BEGIN, SOLUTION_END = "BEGIN SOLUTION", "END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
# What nbgrader writes into a released answer cell (ClearSolutions.code_stub).
STUB_LINES = frozenset({"# YOUR CODE HERE", "raise NotImplementedError()", "raise NotImplementedError"})


def read(path):
    """The notebook at ``path``, as nbformat nodes, without upgrading or validating it.

    Unlike ``nbformat.read`` it never logs: a malformed submission is the grader's
    business, reported where it is found, not on stderr.

    Raises
    ------
    FileNotFoundError
        When there is no file at ``path``.
    ValueError
        When the file is not a notebook (not JSON, or no list of cells).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a readable notebook ({type(exc).__name__}: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError("not a notebook (no list of cells)")
    data["cells"] = [cell for cell in data["cells"] if isinstance(cell, dict)]
    for cell in data["cells"]:  # as nbformat.read gives it: one string, not a list of lines
        cell["source"] = source(cell)
    return nbformat.from_dict(data)


def nbgrader_meta(cell):
    """The cell's nbgrader metadata as a dict; {} when it has none or it is malformed."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    data = meta.get("nbgrader") if isinstance(meta, dict) else None
    return data if isinstance(data, dict) else {}


def _as_nbgrader_sees(cell):
    """A node nbgrader.utils can read: the cell's nbgrader metadata, or none."""
    meta = nbgrader_meta(cell)
    return nbformat.from_dict({"metadata": {"nbgrader": meta} if meta else {}})


def grade_id(cell):
    """The cell's ``grade_id``, or None."""
    value = nbgrader_meta(cell).get("grade_id")
    return value if isinstance(value, str) else None


def points(cell):
    """The points of a graded cell as a float (0.0 when unset or not a number)."""
    try:
        return float(nbgrader_meta(cell).get("points") or 0)
    except (TypeError, ValueError):
        return 0.0


def source(cell):
    """The cell's source as one string (nbformat allows a list of lines)."""
    src = cell.get("source", "")
    if isinstance(src, list):
        return "".join(str(part) for part in src)
    return src if isinstance(src, str) else str(src or "")


def is_code(cell):
    return cell.get("cell_type") == "code"


def is_answer(cell):
    """An answer cell (nbgrader ``solution: true``)."""
    return bool(nbgrader_utils.is_solution(_as_nbgrader_sees(cell)))


def is_graded(cell):
    """A cell that carries points (nbgrader ``grade: true``), answer or test."""
    return bool(nbgrader_utils.is_grade(_as_nbgrader_sees(cell)))


def is_test(cell):
    """A code cell that grades: ``grade: true`` and not an answer."""
    return is_code(cell) and is_graded(cell) and not is_answer(cell)


def is_locked(cell):
    """A cell nbgrader overwrites with the release's copy when it grades (tests included)."""
    return bool(nbgrader_utils.is_locked(_as_nbgrader_sees(cell)))


def cell_label(index, cell):
    """'cell 7 (neuron)': a 1-based position and the grade_id or cell id."""
    tag = grade_id(cell) or (cell.get("id") if isinstance(cell.get("id"), str) else None)
    return f"cell {index + 1}" + (f" ({tag})" if tag else "")


def regions(text, begin, end):
    """The blocks of ``text`` between ``begin`` and ``end`` marker lines (markers left out).

    An unterminated region runs to the end of the text, as in nbgrader.
    """
    found, current = [], None
    for line in text.split("\n"):
        if begin in line:
            current = []
        elif end in line and current is not None:
            found.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    if current is not None:
        found.append("\n".join(current))
    return found


def strip_region(text, begin, end):
    """``text`` without its ``begin``/``end`` regions, markers included."""
    kept, inside = [], False
    for line in text.split("\n"):
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)


def released_source(text):
    """A test cell's source as nbgrader releases it: the hidden tests removed."""
    return strip_region(text, HIDDEN_BEGIN, HIDDEN_END)


def submitted_answer(text):
    """An answer as a learner who wrote the solution hands it in: the marker lines removed."""
    return "\n".join(line for line in text.split("\n")
                     if SOLUTION_BEGIN not in line and SOLUTION_END not in line)


def exercise_of_test(test_grade_id, names):
    """The exercise a test cell belongs to: the longest name with ``test_<name>`` as prefix.

    Longest wins, so that ``test_neuron_vectorised_hidden`` goes to
    ``neuron_vectorised`` and not to ``neuron``.
    """
    matches = [n for n in names if test_grade_id and test_grade_id.startswith(f"test_{n}")]
    return max(matches, key=len) if matches else None


def tests_by_exercise(nb, names):
    """{name: [test cells]} for every exercise name, in notebook order (lists may be empty)."""
    out = {name: [] for name in names}
    for cell in nb.get("cells", []):
        if is_test(cell):
            owner = exercise_of_test(grade_id(cell), names)
            if owner is not None:
                out[owner].append(cell)
    return out


def setup_cell(nb):
    """The first code cell, which in every course notebook is the locked setup cell."""
    return next((cell for cell in nb.get("cells", []) if is_code(cell)), None)
