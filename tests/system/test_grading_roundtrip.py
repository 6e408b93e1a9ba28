"""Autograde round trip with the real nbgrader CLI.

In the session's scratch course (see conftest.py) every assignment is released
with `nbgrader generate_assignment`, which also records it in a temporary sqlite
gradebook. Two students submit: alice hands in the instructor solutions, bob the
untouched releases. `nbgrader autograde <id> --force` grades each assignment;
alice must get full marks and bob zero (read back through nbgrader.api.Gradebook),
`generate_feedback` must write HTML for both and `export` a CSV with both.

nbgrader runs as a subprocess with the course root as cwd, a throwaway HOME and
the venv's bin/ first on PATH (nbgrader starts `alembic` and kernels itself).
"""
import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import nbutil
from nbutil import ASSIGNMENTS, RELEASE_DIR, SOURCE_DIR

pytestmark = pytest.mark.slow

# Who hands in what: alice the solutions, bob the releases as learners get them.
STUDENTS = {"alice": ("Alice", "Solver", SOURCE_DIR), "bob": ("Bob", "Blank", RELEASE_DIR)}


@dataclass
class RoundTrip:
    course: object
    csv_path: Path
    errors: dict = field(default_factory=dict)  # aid or (aid, student) -> why it was not graded
    setup_error: str = ""
    export_error: str = ""
    feedback_error: str = ""

    def check(self, aid, student):
        """Fail with the reason when the pipeline could not grade `student`'s `aid`."""
        if self.setup_error:
            pytest.fail(self.setup_error)
        for key in (aid, (aid, student)):
            if key in self.errors:
                pytest.fail(self.errors[key])

    def autograded(self, student, aid):
        return self.course.root / "autograded" / student / aid / f"{aid}.ipynb"

    def feedback(self, student, aid):
        return self.course.root / "feedback" / student / aid / f"{aid}.html"


@pytest.fixture(scope="module")
def roundtrip(scratch_course, tmp_path_factory):
    course = scratch_course
    state = RoundTrip(course, tmp_path_factory.mktemp("export") / "grades.csv")

    for student, (first, last, _) in STUDENTS.items():
        proc = course.nbgrader("db", "student", "add", student, f"--first-name={first}", f"--last-name={last}")
        if proc.returncode != 0:
            state.setup_error = f"could not add student {student}:\n{nbutil.format_run(proc)}"
            return state

    for aid in ASSIGNMENTS:
        try:
            course.generate(aid)  # releases it and records it in the gradebook
        except AssertionError as exc:
            state.errors[aid] = str(exc)
            continue
        submitted = []
        for student, (_, _, kind) in STUDENTS.items():
            handed_in = nbutil.notebook_path(kind, aid)
            if handed_in.is_file():
                nbutil.copy_assignment(handed_in.parent, course.root / "submitted" / student / aid)
                submitted.append(student)
            else:
                state.errors[aid, student] = (f"missing notebook: {nbutil.notebook_relpath(kind, aid)} "
                                              f"(the submission of {student})")
        if not submitted:
            continue
        proc = course.nbgrader("autograde", aid, "--force")
        for student in submitted:
            if proc.returncode != 0 or not state.autograded(student, aid).is_file():
                state.errors[aid, student] = (f"nbgrader autograde {aid} failed for {student}:\n"
                                              f"{nbutil.format_run(proc)}")

    # One feedback run for every autograded assignment (an nbgrader start costs ~3 s).
    if any(aid not in state.errors for aid in ASSIGNMENTS):  # something was autograded
        proc = course.nbgrader("generate_feedback", "*", "--force")
        if proc.returncode != 0:
            state.feedback_error = f"nbgrader generate_feedback failed:\n{nbutil.format_run(proc)}"

    proc = course.nbgrader("export", f"--to={state.csv_path}")
    if proc.returncode != 0 or not state.csv_path.is_file():
        state.export_error = f"nbgrader export failed:\n{nbutil.format_run(proc)}"
    return state


def _expected_points(aid):
    nb = nbutil.read_notebook(nbutil.source_path(aid))
    return sum(float(nbutil.nbgrader_meta(c).get("points", 0)) for c in nb.cells if nbutil.is_graded(c))


def _grades(course, aid, student):
    """(submission score, max score, [(grade_id, score, max_score, needs_manual_grade)])."""
    from nbgrader.api import Gradebook, MissingEntry

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", course.env["PATH"])  # the gradebook may call alembic
        with Gradebook(course.db_url) as gb:
            try:
                sub = gb.find_submission(aid, student)
            except MissingEntry:
                pytest.fail(f"the gradebook has no submission of {aid} by {student}")
            cells = []
            for notebook in sub.notebooks:
                for grade in notebook.grades:
                    cells.append((grade.name, grade.score, grade.max_score, grade.needs_manual_grade))
            return sub.score, sub.max_score, cells


def _cell_errors(path):
    """{grade_id: 'error text'} for graded cells that failed in an autograded notebook."""
    if not path.is_file():
        return {}
    nb = nbutil.read_notebook(path)
    out = {}
    for cell in nb.cells:
        if nbutil.is_graded(cell):
            text = "; ".join(nbutil.errors_of(cell)) or nbutil.stderr_of(cell).strip()
            if text:
                out[nbutil.grade_id(cell)] = text[-400:]
    return out


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_solutions_get_full_marks(aid, roundtrip):
    roundtrip.check(aid, "alice")
    score, max_score, cells = _grades(roundtrip.course, aid, "alice")
    expected = _expected_points(aid)
    assert max_score == expected and expected > 0, \
        f"{aid}: the gradebook's max score is {max_score}, the graded cells of the source sum to {expected}"
    errors = _cell_errors(roundtrip.autograded("alice", aid))
    lost = [f"{name}: {s}/{m}" + (" (needs manual grading)" if manual else "")
            + (f" -- {errors[name]}" if name in errors else "")
            for name, s, m, manual in cells if s != m or manual]
    assert score == max_score and not lost, (
        f"{aid}: the solution notebook submitted by alice scores {score}/{max_score}; cells losing points:\n"
        + "\n".join(f"  - {x}" for x in lost))


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_untouched_releases_get_zero(aid, roundtrip):
    roundtrip.check(aid, "bob")
    score, max_score, cells = _grades(roundtrip.course, aid, "bob")
    assert max_score > 0, f"{aid}: the gradebook's max score is {max_score}"
    scoring = [f"{name}: {s}/{m}" for name, s, m, _ in cells if s]
    assert score == 0 and not scoring, (
        f"{aid}: the untouched release submitted by bob scores {score}/{max_score}; cells giving points:\n"
        + "\n".join(f"  - {x}" for x in scoring))


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_feedback_is_written(aid, roundtrip):
    problems = []
    for student in STUDENTS:
        roundtrip.check(aid, student)
        path = roundtrip.feedback(student, aid)
        if not path.is_file():
            problems.append(f"no feedback for {student}: {path.relative_to(roundtrip.course.root)}")
            continue
        html = path.read_text(encoding="utf-8")
        if "<html" not in html.lower() or aid not in html:
            problems.append(f"feedback for {student} is not an HTML report of {aid}")
    if problems and roundtrip.feedback_error:
        problems.append(roundtrip.feedback_error)
    assert not problems, f"{aid}:\n" + "\n".join(problems)


def test_export_lists_both_students(roundtrip):
    if roundtrip.setup_error:
        pytest.fail(roundtrip.setup_error)
    assert not roundtrip.export_error, roundtrip.export_error
    with open(roundtrip.csv_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows, f"{roundtrip.csv_path} has no rows"
    for column in ("assignment", "student_id", "score", "max_score"):
        assert column in rows[0], f"export CSV has no {column!r} column (columns: {list(rows[0])})"
    table = {(r["assignment"], r["student_id"]): r for r in rows}
    problems = []
    for aid in ASSIGNMENTS:
        for student in STUDENTS:
            row = table.get((aid, student))
            if row is None:
                problems.append(f"no row for {student} / {aid}")
                continue
            score, max_score = float(row["score"]), float(row["max_score"])
            want = max_score if student == "alice" else 0.0
            if max_score <= 0 or score != want:
                problems.append(f"{student} / {aid}: exported score {score}/{max_score}, expected {want}/{max_score}")
    assert not problems, f"{os.path.basename(roundtrip.csv_path)}:\n" + "\n".join(f"  - {p}" for p in problems)
