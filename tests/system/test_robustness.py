"""Adversarial submissions, autograded in one batch through `python -m tools.grading autograde`.

A scratch course (a temporary copy of two assignments' sources and nbgrader_config.py,
a throwaway gradebook and HOME) is released with the course tool, then 18
students hand in both assignments: an honest student (the release with the reference
answers), a control who answers wrongly, and 16 who try something: an endless loop, a
loop that swallows KeyboardInterrupt, sys.exit(), os._exit(0), deleted, edited or
re-pointed test cells, replaced numpy, replaced or shadowed test helpers, IPython's
error reporting switched off, 50 MB of printed output, a syntax error, a notebook that
is not JSON, a missing notebook and a fake nnlib package next to the notebook.

Every submission is generated from the released and source notebooks, so the corpus
follows the notebooks as they change. The whole corpus is graded by ONE autograde run
(an 8 s cell time limit) and the test checks that: the honest
student gets full marks; everyone else gets what the work deserves (0 when the
tampering sits on wrong answers) or is reported as ungradable; the tamper scan flags
every tampering case and nothing else; the gradebook holds every student; and the
batch ends within its time limit.

The gradebook is a throwaway PostgreSQL cluster (tests/hubutil.py) and the batch runs two
parallel jobs, as a class on the shared server would. Where the machine has no PostgreSQL
(never on CI, CI=true), it is a SQLite file instead and the tool falls back to one job,
which the test checks too.
"""
import csv
import json
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest

import hubutil
import nbutil
from submissions import (add_after_setup, add_at_end, cells_using, drop_tests, edit_answer,
                         edit_tests, endless, grade_id, honest, inflate_points, is_test,
                         outputs_text, target_exercise, wrong)

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENTS = ("01_neurons", "02_linear_layer")
CELL_TIMEOUT = 8          # seconds per cell in this batch (the course default is longer)
BATCH_LIMIT = 420         # seconds for the whole batch with two jobs, release excluded

# Code cells a student adds right after the setup cell.
NP_PATCH = """\
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, **kwargs: np.ones(np.shape(a), dtype=bool)
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None"""
HELPER_PATCH = """\
class _Pass:
    def __init__(self, *args, **kwargs):
        pass
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return True
    def __getattr__(self, name):
        return lambda *args, **kwargs: True

for _name in dir(T):
    if _name.startswith("check_"):
        setattr(T, _name, lambda *args, **kwargs: None)
T.Checks = _Pass"""
HELPER_SHADOW = """\
class _Anything:
    def __init__(self, *args, **kwargs):
        pass
    def __getattr__(self, name):
        return _Anything
    def __call__(self, *args, **kwargs):
        return None
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return True

T = _Anything()"""
SILENCE_ERRORS = """\
shell = get_ipython()
shell.set_custom_exc((BaseException,), lambda *args, **kwargs: [])
shell._showtraceback = lambda *args, **kwargs: None
shell.showtraceback = lambda *args, **kwargs: None"""
SWALLOW = """\
import time
while True:
    try:
        time.sleep(0.05)
    except KeyboardInterrupt:
        pass"""
BIG_OUTPUT = 'for _ in range(50_000):\n    print("x" * 999)'  # 50 MB in 50,000 lines
FAKE_TESTING = """\
def _nothing(*args, **kwargs):
    return None

class Checks:
    def __init__(self, *args, **kwargs):
        pass
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return True
    def __getattr__(self, name):
        return _nothing

def __getattr__(name):
    return _nothing
"""


# ----------------------------------------------------------------- corpus helpers

# Each case: how the submission is built, and what the grading must make of it.
#   expect: "full" | "zero" | ("minus", exercise) | "failed"
#   flags:  the scan flag kinds that must be there (an empty set: no flag at all)
CASES = {
    "honest": dict(expect="full", flags=set()),
    "wrong": dict(expect="zero", flags=set()),
    "endless_loop": dict(expect="minus", flags=set()),
    "swallows_interrupt": dict(expect="failed", flags={"kernel"}),
    "sys_exit": dict(expect="zero", flags={"exit"}),
    "os_exit": dict(expect="failed", flags={"exit"}),
    "deleted_tests": dict(expect="zero", flags={"removed"}),
    "edited_tests": dict(expect="zero", flags={"edited"}),
    "edited_points": dict(expect="zero", flags={"metadata"}),
    "patched_numpy": dict(expect="zero", flags={"patch"}),
    "patched_helpers": dict(expect="zero", flags={"patch"}),
    "shadowed_helpers": dict(expect="zero", flags={"shadow"}),
    "silenced_errors": dict(expect="zero", flags={"kernel"}),
    "big_output": dict(expect="full", flags=set()),
    "syntax_error": dict(expect="minus", flags=set()),
    "not_json": dict(expect="failed", flags=set()),
    "missing_notebook": dict(expect="failed", flags=set()),
    "fake_nnlib": dict(expect="zero", flags={"extra"}),
}


def build_submission(case, aid, release, solution, folder):
    """Write submitted/<case>/<aid>/ for one case."""
    folder.mkdir(parents=True)
    target = target_exercise(aid, solution)
    good, bad = honest(release, solution), wrong(release)
    nb = {
        "honest": good,
        "wrong": bad,
        "endless_loop": edit_answer(good, target, endless),
        "swallows_interrupt": add_at_end(good, SWALLOW),
        "sys_exit": add_after_setup(bad, 'import sys\nsys.exit("no tests today")'),
        "os_exit": add_after_setup(bad, "import os\nos._exit(0)"),
        "deleted_tests": drop_tests(bad),
        "edited_tests": edit_tests(bad),
        "edited_points": inflate_points(bad),
        "patched_numpy": add_after_setup(bad, NP_PATCH),
        "patched_helpers": add_after_setup(bad, HELPER_PATCH),
        "shadowed_helpers": add_after_setup(bad, HELPER_SHADOW),
        "silenced_errors": add_after_setup(bad, SILENCE_ERRORS),
        "big_output": add_after_setup(good, BIG_OUTPUT),
        "syntax_error": edit_answer(good, target, lambda s: s + "\n    return (x for"),
        "not_json": good,
        "missing_notebook": good,
        "fake_nnlib": bad,
    }[case]
    name = f"{aid}.ipynb"
    text = nbformat.writes(nb)
    if case == "not_json":
        text = text[: len(text) // 2]  # a download cut short
    if case == "missing_notebook":
        name = f"{aid} (1).ipynb"      # the LMS renamed it
    (folder / name).write_text(text, encoding="utf-8")
    if case == "fake_nnlib":
        fake = folder / "nnlib"
        fake.mkdir()
        (fake / "__init__.py").write_text("from . import testing\n")
        (fake / "testing.py").write_text(FAKE_TESTING)


# ------------------------------------------------------------------------ the batch

@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    """(db_url, jobs): PostgreSQL with two jobs, or SQLite where PostgreSQL is missing."""
    missing = hubutil.missing_postgres()
    if missing:
        if hubutil.on_ci():
            pytest.fail(f"no PostgreSQL for the gradebook: {'; '.join(missing)} (CI=true: .ci/run installs it)")
        yield f"sqlite:///{tmp_path_factory.mktemp('robust-db') / 'gradebook.db'}", 1
        return
    pg = hubutil.PostgresCluster()
    try:
        pg.start()
        yield pg.url, 2
    finally:
        left = pg.stop()
        assert not left, f"PostgreSQL processes still running: {left}"


@pytest.fixture(scope="module")
def batch(tmp_path_factory, gradebook):
    db_url, jobs = gradebook
    root = tmp_path_factory.mktemp("robust-course")
    home = tmp_path_factory.mktemp("robust-home")
    env = nbutil.isolated_env(home)
    shutil.copy2(nbutil.NBGRADER_CONFIG, root / "nbgrader_config.py")
    for aid in ASSIGNMENTS:
        nbutil.copy_assignment(nbutil.source_path(aid).parent, root / nbutil.SOURCE_DIR / aid)

    def tool(*args, timeout=900):
        # --jobs 2 on either gradebook: on SQLite the tool itself must fall back to one job.
        cmd = [sys.executable, "-m", "tools.grading", "--root", root, "--jobs", "2", *args]
        return nbutil.run(cmd, cwd=REPO, env=dict(env, NBGRADER_DB_URL=db_url), timeout=timeout)

    proc = tool("release")
    assert proc.returncode == 0, nbutil.format_run(proc)
    for aid in ASSIGNMENTS:
        release = nbutil.read_notebook(nbutil.release_path(aid, root))
        solution = nbutil.read_notebook(nbutil.source_path(aid))
        for case in CASES:
            build_submission(case, aid, release, solution, root / "submitted" / case / aid)

    summary_path = root / "summary.json"
    start = time.perf_counter()
    proc = tool("autograde", "--timeout", str(CELL_TIMEOUT), "--json", summary_path)
    seconds = time.perf_counter() - start
    # Exit 1: some submissions (FAILED below) cannot be graded; the batch still went on.
    assert proc.returncode == (1 if FAILED else 0) and summary_path.is_file(), nbutil.format_run(proc, tail=80)
    summary = json.loads(summary_path.read_text())
    outcomes = {(o["student"], o["assignment"]): o for o in summary["outcomes"]}
    # The rest of the workflow on the same batch: feedback for what was graded, the CSVs.
    feedback = tool("feedback")
    grades = tool("grades", "--output", root / "grades.csv")
    return dict(root=root, db=db_url, jobs=jobs, env=env, proc=proc, seconds=seconds,
                summary=summary, outcomes=outcomes, feedback=feedback, grades=grades)


def _full(aid):
    nb = nbutil.read_notebook(nbutil.source_path(aid))
    return sum(float(c.metadata.nbgrader["points"]) for c in nb.cells if is_test(c))


def _expected(case, aid):
    expect = CASES[case]["expect"]
    if expect == "full":
        return _full(aid)
    if expect == "zero":
        return 0.0
    solution = nbutil.read_notebook(nbutil.source_path(aid))
    lost = cells_using(solution, target_exercise(aid, solution))
    return _full(aid) - sum(float(c.metadata.nbgrader["points"]) for c in lost)


def _cell_report(batch, case, aid):
    path = batch["root"] / "autograded" / case / aid / f"{aid}.ipynb"
    if not path.is_file():
        return "(no autograded notebook)"
    nb = nbutil.read_notebook(path)
    lines = []
    for cell in nb.cells:
        if is_test(cell):
            errors = [f"{o.get('ename')}: {o.get('evalue')}" for o in cell.get("outputs", [])
                      if o.get("output_type") == "error"]
            text = "; ".join(errors) or outputs_text(cell, "stderr").strip()
            lines.append(f"  {grade_id(cell)}: {text[:160] or 'passed'}")
    return "\n".join(lines)


GRADED = [(case, aid) for case in CASES for aid in ASSIGNMENTS if CASES[case]["expect"] != "failed"]
FAILED = [(case, aid) for case in CASES for aid in ASSIGNMENTS if CASES[case]["expect"] == "failed"]


@pytest.mark.parametrize("case, aid", GRADED, ids=[f"{c}-{a}" for c, a in GRADED])
def test_each_submission_gets_the_score_it_deserves(batch, case, aid):
    outcome = batch["outcomes"].get((case, aid))
    assert outcome is not None, f"{case}/{aid} is missing from the autograde summary"
    assert outcome["status"] == "graded", f"{case}/{aid} was not graded: {outcome['reason']}"
    want = _expected(case, aid)
    assert outcome["max_score"] == _full(aid), \
        f"{case}/{aid}: max score {outcome['max_score']}, the assignment is worth {_full(aid)}"
    assert outcome["score"] == want, (
        f"{case}/{aid} scored {outcome['score']}/{outcome['max_score']}, expected {want}:\n"
        + _cell_report(batch, case, aid))


@pytest.mark.parametrize("case, aid", FAILED, ids=[f"{c}-{a}" for c, a in FAILED])
def test_ungradable_submissions_are_reported(batch, case, aid):
    outcome = batch["outcomes"][(case, aid)]
    assert outcome["status"] == "failed", f"{case}/{aid}: {outcome}"
    reason = outcome["reason"]
    expected_words = {"swallows_interrupt": "interrupt", "os_exit": "kernel died",
                      "not_json": "JSON", "missing_notebook": f"no {aid}.ipynb"}[case]
    assert expected_words in reason, f"{case}/{aid}: reason {reason!r}"
    assert f"FAILED   {case} {aid}: {reason}" in batch["proc"].stdout


@pytest.mark.parametrize("case", list(CASES))
def test_the_scan_flags_every_tampering_case_and_nothing_else(batch, case):
    flags = [f for f in batch["summary"]["flags"] if f["student"] == case]
    kinds = {f["kind"] for f in flags}
    wanted = CASES[case]["flags"]
    if not wanted:
        assert not flags, f"{case} should not be flagged: " + "\n".join(
            batch["summary"]["flagged"].get(case, []))
        return
    assert wanted <= kinds, f"{case}: flags {sorted(kinds)}, expected {sorted(wanted)}"
    for aid in ASSIGNMENTS:
        assert any(f["notebook"].startswith(f"{aid}/") for f in flags if f["kind"] in wanted), \
            f"{case}: no {sorted(wanted)} flag for {aid}"
    printed = [ln.strip() for ln in batch["proc"].stdout.splitlines() if ln.strip().startswith(f"{case} ")]
    assert len(printed) >= len(flags), f"{case}: flags are not printed one per line"


def test_the_gradebook_holds_every_student(batch):
    from nbgrader.api import Gradebook

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", batch["env"]["PATH"])
        with Gradebook(batch["db"], "nn-from-scratch") as gb:
            students = {s.id for s in gb.students}
    assert set(CASES) <= students, f"missing from the gradebook: {sorted(set(CASES) - students)}"
    assert batch["summary"]["missing_from_gradebook"] == []


def test_parallel_jobs_only_on_postgresql(batch):
    out = batch["proc"].stdout
    if batch["db"].startswith("postgresql"):
        assert "on 2 workers" in out and "grading with 1 job" not in out, out[:2000]
        assert batch["summary"]["jobs"] == 2
    else:
        assert "the gradebook is SQLite" in out and "grading with 1 job" in out, out[:2000]
        assert "on 1 worker" in out and batch["summary"]["jobs"] == 1


def test_the_batch_finishes_within_its_limits(batch):
    limit = BATCH_LIMIT * 2 // batch["jobs"]
    assert batch["seconds"] < limit, f"the batch took {batch['seconds']:.0f} s (limit {limit} s)"
    summary = batch["summary"]
    assert summary["submissions"] == len(CASES) * len(ASSIGNMENTS)
    assert summary["graded"] == len(GRADED) and len(summary["failed"]) == len(FAILED)
    last = [ln for ln in batch["proc"].stdout.splitlines() if ln.startswith("autograde summary:")]
    assert last and f"failures: {len(FAILED)}" in last[0], batch["proc"].stdout[-2000:]
    # 50 MB of printed output is cut to nbgrader's 1000 lines in the graded notebook.
    for aid in ASSIGNMENTS:
        graded = batch["root"] / "autograded" / "big_output" / aid / f"{aid}.ipynb"
        assert graded.stat().st_size < 5_000_000, f"{graded} is {graded.stat().st_size} bytes"


def test_a_fake_nnlib_next_to_the_notebook_is_not_copied_for_grading(batch):
    for aid in ASSIGNMENTS:
        folder = batch["root"] / "autograded" / "fake_nnlib" / aid
        assert not (folder / "nnlib" / "testing.py").exists()
        assert not (folder / "nnlib" / "__init__.py").exists()


def test_feedback_is_written_for_every_graded_submission(batch):
    proc = batch["feedback"]
    assert proc.returncode == 0, nbutil.format_run(proc)
    for case, aid in GRADED:
        html = batch["root"] / "feedback" / case / aid / f"{aid}.html"
        assert html.is_file(), f"no feedback for {case}/{aid}"
    assert f"feedback summary: {len(GRADED)} of {len(GRADED)} submissions" in proc.stdout, proc.stdout


def test_grades_csv_has_one_row_per_student_with_the_scores(batch):
    proc = batch["grades"]
    assert proc.returncode == 0, nbutil.format_run(proc)
    with open(batch["root"] / "grades_by_student.csv", newline="", encoding="utf-8") as fh:
        rows = {row["student_id"]: row for row in csv.DictReader(fh)}
    assert set(CASES) <= set(rows)
    for case in CASES:
        want = sum(batch["outcomes"][(case, aid)]["score"] or 0.0 for aid in ASSIGNMENTS)
        assert float(rows[case]["total"]) == want, f"{case}: {rows[case]}"
        assert float(rows[case]["max_total"]) == sum(_full(aid) for aid in ASSIGNMENTS)
    assert float(rows["honest"]["total"]) == sum(_full(aid) for aid in ASSIGNMENTS)
