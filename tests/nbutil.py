"""Helpers for the notebook and grading tests (imported by them; not a test module).

The course contract (docs/contract.md) is encoded once, in nncourse.manifest, and
the notebook model in nncourse.notebook; this module hands both to the tests and adds
what only tests need: running notebooks and nbgrader, and reading their outputs.
"""
import difflib
import json
import re
import subprocess
from pathlib import Path

import nbformat

from nncourse.manifest import (  # noqa: F401  (the course contract, for the tests)
    ASSIGNMENTS, EXERCISE_PAIRS, EXERCISES, NBGRADER_CONFIG, RELEASE_DIR, REPO, SOURCE_DIR,
    VALUE_EXERCISES, notebook_path, notebook_relpath, release_path, source_path,
)
from tools.notebooks import (  # noqa: F401  (running notebooks, for the tests)
    cell_timeout, copy_assignment, errors_of, execute_notebook, isolated_env,
    load_nbgrader_config, stderr_of, strip_ansi, traceback_tail, venv_bin,
)
from nncourse.notebook import (  # noqa: F401  (the notebook model, for the tests)
    HIDDEN_BEGIN, HIDDEN_END, SOLUTION_BEGIN, SOLUTION_END, STUB_LINES, exercise_of_test,
    grade_id, is_answer, is_graded, nbgrader_meta, regions, setup_cell, source, strip_region,
    tests_by_exercise,
)

CELL_ID_RE = re.compile(r"^[a-zA-Z0-9-_]+$")
# "Points: 12 total" in the header (markdown emphasis around the words is ignored).
POINTS_RE = re.compile(r"points\s*:\s*(\d+)\s*(?:points?\s*)?total", re.IGNORECASE)



# --------------------------------------------------------------------------- paths

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
        return cell.get("id") or source(cell)

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
                            f"{first_line(source(exp_cells[i]))!r}")
        for j in range(j1, j2):
            problems.append(f"{describe(act_cells[j], j)} only in {actual_name}: "
                            f"{first_line(source(act_cells[j]))!r}")
    if len(problems) > max_items:
        problems = problems[:max_items] + [f"... and {len(problems) - max_items} more differences"]
    return problems


def _cell_diff(e, i, a, j, expected_name, actual_name):
    fields = sorted(k for k in set(e) | set(a) if e.get(k) != a.get(k))
    where = describe(e, i) if i == j else f"{describe(e, i)} / {actual_name} cell {j}"
    msg = f"{where} differs in {', '.join(fields)}"
    if "source" in fields:
        udiff = difflib.unified_diff(source(e).splitlines(), source(a).splitlines(),
                                     expected_name, actual_name, lineterm="", n=1)
        msg += "\n" + indent("\n".join(list(udiff)[:30]))
    if "metadata" in fields:
        msg += (f"\n    metadata {expected_name}: {json.dumps(e.get('metadata'), sort_keys=True)[:300]}"
                f"\n    metadata {actual_name}: {json.dumps(a.get('metadata'), sort_keys=True)[:300]}")
    return msg


# ------------------------------------------------------------------ execution

def run(cmd, cwd, env, timeout=900):
    """Run a command, capturing output; never raises on a non-zero exit."""
    return subprocess.run(
        [str(c) for c in cmd], cwd=str(cwd), env=env, capture_output=True, text=True, timeout=timeout,
    )


def format_run(proc, tail=40):
    out = "\n".join((proc.stdout + "\n" + proc.stderr).strip().splitlines()[-tail:])
    return f"$ {' '.join(proc.args)}\n(exit {proc.returncode})\n{indent(out)}"
