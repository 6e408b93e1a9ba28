"""Helpers for the notebook and grading tests (imported by them; not a test module).

The course contract (docs/contract.md) is encoded once, here: the assignment ids in
teaching order and, for each, the graded exercise names. Everything else in the
notebook tests is generic over these two tables.
"""
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
SOURCE_DIR = "solutions"
RELEASE_DIR = "notebooks"
NBGRADER_CONFIG = REPO / "nbgrader_config.py"

ASSIGNMENTS = (
    "01_neurons",
    "02_linear_layer",
    "03_activations",
    "04_loss",
    "05_backprop",
    "06_training",
)

EXERCISES = {
    "01_neurons": ("neuron", "neuron_vectorised", "brain_to_ann"),
    "02_linear_layer": (
        "add_bias_column",
        "linear_forward",
        "LinearLayer",
        "matmul_slower_than_loops",
    ),
    "03_activations": (
        "IdentityActivation",
        "LinearActivation",
        "SigmoidActivation",
        "TanhActivation",
        "BinaryStepActivation",
        "ReLUActivation",
        "LeakyReLUActivation",
        "SoftMaxActivation",
        "bounded_0_1_activation",
        "unbounded_activation",
    ),
    "04_loss": (
        "one_hot",
        "categorical_crossentropy",
        "crossentropy_gradient",
        "softmax_crossentropy_gradient",
    ),
    "05_backprop": ("linear_backward", "numerical_gradient", "relative_error", "sgd_step"),
    "06_training": ("NeuralNet",),
}

# Exercises whose answer is a plain value (dict, bool, str), not a function or class:
# their released stub is a bare `raise NotImplementedError()`, and there is no
# learner-written object for T.check_own to tell apart from nnlib's.
VALUE_EXERCISES = frozenset({
    "brain_to_ann", "matmul_slower_than_loops", "bounded_0_1_activation", "unbounded_activation",
})

# (assignment, exercise) pairs, in teaching order, for parametrisation.
EXERCISE_PAIRS = tuple((aid, name) for aid in ASSIGNMENTS for name in EXERCISES[aid])

SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
# Lines nbgrader itself writes into a released answer cell (see ClearSolutions.code_stub).
STUB_LINES = frozenset({"# YOUR CODE HERE", "raise NotImplementedError()", "raise NotImplementedError"})

CELL_ID_RE = re.compile(r"^[a-zA-Z0-9-_]+$")
# "Points: 12 total" in the header (markdown emphasis around the words is ignored).
POINTS_RE = re.compile(r"points\s*:\s*(\d+)\s*(?:points?\s*)?total", re.IGNORECASE)

_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# --------------------------------------------------------------------------- paths

def notebook_relpath(kind, aid):
    """'solutions/01_neurons/01_neurons.ipynb' (kind is SOURCE_DIR or RELEASE_DIR)."""
    return f"{kind}/{aid}/{aid}.ipynb"


def notebook_path(kind, aid, root=REPO):
    return Path(root) / notebook_relpath(kind, aid)


def source_path(aid, root=REPO):
    return notebook_path(SOURCE_DIR, aid, root)


def release_path(aid, root=REPO):
    return notebook_path(RELEASE_DIR, aid, root)


def all_notebook_relpaths(root=REPO):
    """The six expected notebooks of each kind, plus any other .ipynb found there."""
    found = {notebook_relpath(kind, aid) for kind in (SOURCE_DIR, RELEASE_DIR) for aid in ASSIGNMENTS}
    for kind in (SOURCE_DIR, RELEASE_DIR):
        for path in (Path(root) / kind).rglob("*.ipynb"):
            if ".ipynb_checkpoints" not in path.parts:
                found.add(path.relative_to(root).as_posix())
    return sorted(found)


def read_notebook(path):
    """Read a notebook as nbformat v4 without upgrading or validating it.

    Raises AssertionError (a test failure, never a skip) when the file is missing.
    """
    path = Path(path)
    if not path.is_file():
        raise AssertionError(f"missing notebook: {_rel(path)}")
    with open(path, encoding="utf-8") as fh:
        return nbformat.read(fh, as_version=nbformat.NO_CONVERT)


def read_json(path):
    path = Path(path)
    if not path.is_file():
        raise AssertionError(f"missing notebook: {_rel(path)}")
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _rel(path):
    try:
        return str(Path(path).resolve().relative_to(REPO))
    except ValueError:
        return str(path)


# ------------------------------------------------------------------ cell metadata

def nbg(cell):
    """The cell's nbgrader metadata dict ({} when it has none)."""
    return dict(cell.get("metadata", {}).get("nbgrader", {}) or {})


def grade_id(cell):
    return nbg(cell).get("grade_id")


def is_answer(cell):
    return bool(nbg(cell).get("solution"))


def is_graded(cell):
    return bool(nbg(cell).get("grade"))


def source_text(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def describe(cell, index, where=""):
    """'solutions/04_loss/04_loss.ipynb cell 12 (code, id=..., grade_id=...)'."""
    bits = [cell.get("cell_type", "?")]
    if cell.get("id"):
        bits.append(f"id={cell['id']}")
    if grade_id(cell):
        bits.append(f"grade_id={grade_id(cell)}")
    prefix = f"{where} " if where else ""
    return f"{prefix}cell {index} ({', '.join(bits)})"


def first_line(text, limit=70):
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def setup_cell(nb):
    """The first code cell (the locked setup cell), or None."""
    return next((c for c in nb.cells if c.cell_type == "code"), None)


def exercise_of_test(test_grade_id, names):
    """Exercise a test cell belongs to: the longest name with test_<name> as prefix.

    Longest wins so that 'test_neuron_vectorised_hidden' goes to
    'neuron_vectorised', not to 'neuron'.
    """
    matches = [n for n in names if test_grade_id.startswith(f"test_{n}")]
    return max(matches, key=len) if matches else None


def graded_cells_by_exercise(nb, names):
    """{name: [test cells]} for every exercise name (possibly empty lists)."""
    out = {n: [] for n in names}
    for cell in nb.cells:
        if is_graded(cell) and not is_answer(cell) and grade_id(cell):
            owner = exercise_of_test(grade_id(cell), names)
            if owner is not None:
                out[owner].append(cell)
    return out


# ------------------------------------------------------------- marked regions

def regions(text, begin, end):
    """Text blocks between begin/end marker lines (markers excluded)."""
    found, current = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped == begin:
            current = []
        elif stripped == end and current is not None:
            found.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    if current is not None:  # unterminated region: everything to the end counts
        found.append("\n".join(current))
    return found


def outside_regions(text, begin, end):
    """The lines of text that are not inside a begin/end region (markers excluded)."""
    kept, inside = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped == begin:
            inside = True
        elif stripped == end:
            inside = False
        elif not inside:
            kept.append(line)
    return kept


# ------------------------------------------------------------------- outputs

def strip_ansi(text):
    return _ANSI_RE.sub("", text)


def errors_of(cell):
    """Error outputs of an executed cell as 'Name: value' strings."""
    return [
        f"{o.get('ename')}: {strip_ansi(str(o.get('evalue', '')))}"
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def stderr_of(cell):
    return "".join(
        source_text({"source": o.get("text", "")})
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    )


def traceback_tail(cell, lines=12):
    """The last lines of the first error's traceback, without colour codes."""
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            tb = strip_ansi("\n".join(o.get("traceback", []))).splitlines()
            return "\n".join(tb[-lines:])
    return ""


def indent(text, prefix="    "):
    return "\n".join(prefix + ln for ln in str(text).splitlines())


# ---------------------------------------------------------------- comparison

def diff_notebooks(expected, actual, expected_name="expected", actual_name="actual", max_items=10):
    """Human-readable differences between two notebook JSON dicts ([] if equal).

    Cells are aligned by cell id, so one inserted cell is reported once instead of
    shifting every later cell.
    """
    problems = []
    for key in sorted(set(expected) | set(actual)):
        if key != "cells" and expected.get(key) != actual.get(key):
            problems.append(
                f"notebook field {key!r} differs:\n"
                f"    {expected_name}: {json.dumps(expected.get(key), sort_keys=True)[:300]}\n"
                f"    {actual_name}: {json.dumps(actual.get(key), sort_keys=True)[:300]}"
            )
    exp_cells, act_cells = expected.get("cells", []), actual.get("cells", [])
    if len(exp_cells) != len(act_cells):
        problems.append(f"cell count differs: {expected_name} {len(exp_cells)}, {actual_name} {len(act_cells)}")

    def key(cell):
        return cell.get("id") or source_text(cell)

    matcher = difflib.SequenceMatcher(None, [key(c) for c in exp_cells], [key(c) for c in act_cells], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            pairs = zip(range(i1, i2), range(j1, j2))
            for i, j in pairs:
                if exp_cells[i] != act_cells[j]:
                    problems.append(_cell_diff(exp_cells[i], i, act_cells[j], j, expected_name, actual_name))
            continue
        for i in range(i1, i2):
            problems.append(f"{describe(exp_cells[i], i)} only in {expected_name}: "
                            f"{first_line(source_text(exp_cells[i]))!r}")
        for j in range(j1, j2):
            problems.append(f"{describe(act_cells[j], j)} only in {actual_name}: "
                            f"{first_line(source_text(act_cells[j]))!r}")
    if len(problems) > max_items:
        problems = problems[:max_items] + [f"... and {len(problems) - max_items} more differences"]
    return problems


def _cell_diff(e, i, a, j, expected_name, actual_name):
    fields = sorted(k for k in set(e) | set(a) if e.get(k) != a.get(k))
    where = describe(e, i) if i == j else f"{describe(e, i)} / {actual_name} cell {j}"
    msg = f"{where} differs in {', '.join(fields)}"
    if "source" in fields:
        udiff = difflib.unified_diff(source_text(e).splitlines(), source_text(a).splitlines(),
                                     expected_name, actual_name, lineterm="", n=1)
        msg += "\n" + indent("\n".join(list(udiff)[:30]))
    if "metadata" in fields:
        msg += (f"\n    metadata {expected_name}: {json.dumps(e.get('metadata'), sort_keys=True)[:300]}"
                f"\n    metadata {actual_name}: {json.dumps(a.get('metadata'), sort_keys=True)[:300]}")
    return msg


# ------------------------------------------------------------------ execution

def venv_bin():
    """Directory of the running interpreter (not resolved: a venv's python is a symlink)."""
    return Path(sys.executable).absolute().parent


def isolated_env(home):
    """Environment for nbgrader/jupyter subprocesses: throwaway HOME, the venv's bin first."""
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_PATH",
                "JUPYTER_CONFIG_PATH", "IPYTHONDIR", "MPLBACKEND"):
        env.pop(var, None)
    env["HOME"] = str(home)
    env["JUPYTER_CONFIG_DIR"] = str(home / ".jupyter")
    env["IPYTHONDIR"] = str(home / ".ipython")
    env["MPLCONFIGDIR"] = str(home / ".config" / "matplotlib")
    env["PATH"] = os.pathsep.join([str(venv_bin()), env.get("PATH", "")])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def load_nbgrader_config(path=NBGRADER_CONFIG):
    """The course's nbgrader_config.py as a traitlets Config."""
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(path)
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def cell_timeout(default=120):
    """Per-cell timeout from the course config (Execute.timeout)."""
    try:
        return int(load_nbgrader_config().Execute.timeout)
    except Exception:  # missing or unreadable config: the sync/roundtrip tests report that
        return default


def execute_notebook(nb, cwd, env=None, timeout=None):
    """Execute nb (in place) with every cell run even after errors; returns nb."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=timeout or cell_timeout(),
        kernel_name="python3",
        allow_errors=True,
        interrupt_on_timeout=True,
        extra_arguments=["--HistoryManager.hist_file=:memory:"],
        resources={"metadata": {"path": str(cwd)}},
    )
    kwargs = {"env": env} if env is not None else {}
    client.execute(**kwargs)
    return nb


def copy_assignment(src_dir, dest_dir):
    """Copy one assignment folder, leaving out checkpoints and caches."""
    shutil.copytree(src_dir, dest_dir, ignore=shutil.ignore_patterns(
        ".ipynb_checkpoints", "__pycache__", "*.pyc"))


def run(cmd, cwd, env, timeout=900):
    """Run a command, capturing output; never raises on a non-zero exit."""
    return subprocess.run(
        [str(c) for c in cmd], cwd=str(cwd), env=env, capture_output=True, text=True, timeout=timeout,
    )


def format_run(proc, tail=40):
    out = "\n".join((proc.stdout + "\n" + proc.stderr).strip().splitlines()[-tail:])
    return f"$ {' '.join(proc.args)}\n(exit {proc.returncode})\n{indent(out)}"
