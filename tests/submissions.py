"""Submissions built from the course's notebooks, for the grading tests (not a test module).

Each function takes a notebook (a release or a solution, as nbformat nodes) and returns
a changed copy: honest answers, wrong ones, added or edited cells, dropped tests ...
The robustness and sandbox tests grade what these make.
"""
import ast
import copy
import re

from nbformat.v4 import new_code_cell

from nncourse.notebook import grade_id, is_answer, is_code, is_test, setup_cell, submitted_answer

STUB_RAISE = ("raise NotImplementedError()", "raise NotImplementedError")


def answer_cells(nb):
    return [c for c in nb.cells if is_code(c) and is_answer(c)]


def outputs_text(cell, kind):
    return "".join(str(o.get("text", "")) for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == kind)


def honest(release, solution):
    nb = copy.deepcopy(release)
    answers = {grade_id(c): c for c in answer_cells(solution)}
    for cell in answer_cells(nb):
        cell.source = submitted_answer(answers[grade_id(cell)].source)
    return nb


def wrong(release):
    """Every stub answered with something that runs but is wrong (None)."""
    nb = copy.deepcopy(release)
    for cell in answer_cells(nb):
        lines = []
        for line in cell.source.split("\n"):
            if line.strip() in STUB_RAISE:
                pad = line[: len(line) - len(line.lstrip())]
                line = pad + ("return None" if pad else f"{grade_id(cell)} = None")
            lines.append(line)
        cell.source = "\n".join(lines)
    return nb


def add_after_setup(nb, code):
    nb = copy.deepcopy(nb)
    index = nb.cells.index(setup_cell(nb))
    nb.cells.insert(index + 1, new_code_cell(code, id="student-extra"))
    return nb


def add_at_end(nb, code):
    nb = copy.deepcopy(nb)
    nb.cells.append(new_code_cell(code, id="student-extra"))
    return nb


def names_used(source):
    """Names a cell's code reads (attributes such as nnlib.neuron do not count)."""
    return {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}


def target_exercise(aid, solution):
    """A function exercise that no other answer uses: a fault in it costs its own tests only."""
    answers = answer_cells(solution)
    for cell in answers:
        name = grade_id(cell)
        if not cell.source.lstrip().startswith(f"def {name}("):
            continue  # a class or a plain value
        if not any(name in names_used(c.source) for c in answers if grade_id(c) != name):
            return name
    raise AssertionError(f"{aid}: no function exercise that other answers do not use")


def cells_using(solution, name):
    """Graded test cells whose code (hidden tests included) uses `name`."""
    return [c for c in solution.cells if is_test(c) and name in names_used(c.source)]


def edit_answer(nb, name, change):
    nb = copy.deepcopy(nb)
    cell = next(c for c in answer_cells(nb) if grade_id(c) == name)
    cell.source = change(cell.source)
    return nb


def endless(source):
    """Start the body of the function with an endless loop."""
    lines = source.split("\n")
    doc_end = max(i for i, ln in enumerate(lines) if '"""' in ln)
    pad = re.match(r"\s*", lines[doc_end]).group(0)
    return "\n".join(lines[: doc_end + 1] + [pad + "while True:", pad + "    pass"] + lines[doc_end + 1:])


def drop_tests(nb):
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if not is_test(c)]
    return nb


def edit_tests(nb):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if is_test(cell):
            cell.source = "# the tests are fine\npass"
    return nb


def inflate_points(nb):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if is_test(cell):
            cell.metadata.nbgrader["points"] = 100 * cell.metadata.nbgrader["points"]
    return nb
