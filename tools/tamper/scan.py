"""The scan of one submitted notebook: its nbgrader metadata, its cells, its code."""
import json
from collections.abc import Hashable

from nncourse.notebook import cell_label, grade_id, is_answer, is_code, is_locked, is_test, \
    nbgrader_meta, released_source, source

from .base import ScannerBase
from .bindings import BindingChecks
from .calls import CallChecks
from .flags import Flag
from .parsing import parse_cell
from .reach import ReachChecks
from .reference import normalised
from .tables import DISPLAY_CELL_MAGICS, PYTHON_CELL_MAGICS


class CellScanner(BindingChecks, CallChecks, ReachChecks, ScannerBase):
    """Walks one cell; `report(node, kind, message)` records a flag at the node's line."""


def _written_grade_id(cell):
    """The grade_id a submitted cell carries as written; one that cannot key a dict (a list ...) as JSON."""
    gid = nbgrader_meta(cell).get("grade_id")
    return gid if isinstance(gid, Hashable) else json.dumps(gid)


def scan_notebook(nb, ref, student="?", label=None):
    """Flags for one submitted notebook (a dict) against its reference."""
    label = label or f"{ref.assignment}/{ref.notebook}"
    flags = []

    def add(cell, line, kind, message):
        flags.append(Flag(student, label, cell, line, kind, message))

    cells = nb.get("cells", [])
    seen = {}
    for index, cell in enumerate(cells):
        gid = _written_grade_id(cell)
        if gid:
            seen.setdefault(gid, []).append(index)

    # 1. metadata and cells compared with the reference
    for gid, indices in seen.items():
        first = cells[indices[0]]
        if len(indices) > 1:
            add(cell_label(indices[1], cells[indices[1]]), None, "metadata",
                f"grade_id {gid!r} appears {len(indices)} times (cells "
                + ", ".join(str(i + 1) for i in indices) + ")")
        ref_cell = ref.by_grade_id.get(gid)
        if ref_cell is None:
            add(cell_label(indices[0], first), None, "metadata",
                f"grade_id {gid!r} is not in the assignment")
            continue
        for problem in _metadata_changes(ref_cell, first):
            add(cell_label(indices[0], first), None, "metadata", problem)
        if is_locked(ref_cell) and first.get("cell_type") == ref_cell.get("cell_type"):
            line = _first_difference(source(ref_cell), source(first))
            if line is not None:
                what = "test cell" if is_test(ref_cell) else "locked cell"
                add(cell_label(indices[0], first), line, "edited",
                    f"the code of the {what} {gid!r} was changed (nbgrader restores it when grading)")

    by_id = {cell["id"]: (i, cell) for i, cell in enumerate(cells) if isinstance(cell.get("id"), str)}
    for gid, ref_cell in ref.by_grade_id.items():
        m = nbgrader_meta(ref_cell)
        if gid in seen or not (m.get("grade") or m.get("locked")):
            continue
        twin = by_id.get(ref_cell.get("id"))
        if twin is not None and ref_cell.get("id"):
            add(cell_label(*twin), None, "metadata",
                f"the nbgrader metadata of {gid!r} was removed or its grade_id changed")
        else:
            what = "graded test cell" if m.get("grade") else "locked cell"
            points = f" ({m.get('points')} points)" if m.get("grade") else ""
            add("-", None, "removed", f"the {what} {gid!r}{points} was deleted")

    # 2. the code learners wrote or changed
    env = dict(ref.aliases)
    for index, cell in enumerate(cells):
        if not is_code(cell):
            continue
        ref_cell = ref.by_grade_id.get(grade_id(cell))
        if ref_cell is not None and is_locked(ref_cell):
            continue  # nbgrader replaces locked cells with the release version when grading
        text = source(cell)
        # Compared as handed in: a released course cell has no hidden-test region, so a
        # learner's cell that needs one stripped to match hides code from the scan.
        if not is_answer(cell) and normalised(text) in ref.course_sources:
            continue  # an unchanged course cell
        where = cell_label(index, cell)
        tree, offset, magic = parse_cell(text)
        if magic is not None and magic not in PYTHON_CELL_MAGICS:
            if magic not in DISPLAY_CELL_MAGICS:
                add(where, 1 + offset, "shell", f"uses the %%{magic} cell magic")
            continue
        if tree is None:
            continue  # a syntax error: the kernel cannot run this cell either

        def report(node, kind, message, where=where, offset=offset):
            add(where, getattr(node, "lineno", 1) + offset, kind, message)

        scanner = CellScanner(ref, env, report)
        for stmt in tree.body:
            scanner.visit(stmt)
    return _dedupe(flags)


def _dedupe(flags):
    out, seen = [], set()
    for flag in flags:
        key = (flag.cell, flag.line, flag.kind, flag.message)
        if key not in seen:
            seen.add(key)
            out.append(flag)
    return out


def _metadata_changes(ref_cell, cell):
    ref_m, m = nbgrader_meta(ref_cell), nbgrader_meta(cell)
    problems = []
    if cell.get("cell_type") != ref_cell.get("cell_type"):
        problems.append(f"cell type changed from {ref_cell.get('cell_type')} to {cell.get('cell_type')}")
    for key in ("grade", "solution", "locked", "task"):
        if bool(ref_m.get(key)) != bool(m.get(key)):
            problems.append(f"nbgrader {key!r} changed from {bool(ref_m.get(key))} to {bool(m.get(key))}")
    if ref_m.get("grade"):
        try:
            same = float(m.get("points")) == float(ref_m.get("points"))
        except (TypeError, ValueError):
            same = False
        if not same:
            problems.append(f"points changed from {ref_m.get('points')} to {m.get('points')!r}")
    return problems


def _first_difference(ref_text, text):
    """1-based line of the first difference between the released and the submitted source."""
    released, full = normalised(released_source(ref_text)), normalised(ref_text)
    got = normalised(text)
    if got in (released, full):
        return None
    want = released_source(ref_text).split("\n")
    have = text.split("\n")
    for i, (a, b) in enumerate(zip(want, have)):
        if a.rstrip() != b.rstrip():
            return i + 1
    return min(len(want), len(have)) + 1
