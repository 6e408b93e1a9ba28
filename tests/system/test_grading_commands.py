"""The grading commands' own logic (tools/grading.py): LMS file-name patterns, how the
autograde batch is split into parallel nbgrader runs, how failures are read from
nbgrader's log, and `collect` end to end with the real `nbgrader zip_collect`.

The whole workflow (release, autograde, scan, feedback, grades) runs in
test_robustness.py; the round trip of plain nbgrader in test_grading_roundtrip.py.
"""
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

import nbutil

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tools import grading  # noqa: E402

AID = "01_neurons"


@pytest.mark.parametrize("lms, path, student", [
    ("plain", "/c/downloaded/01_neurons/extracted/alice_01_neurons.ipynb", "alice"),
    ("plain", "/c/downloaded/01_neurons/extracted/batch/bob/01_neurons.ipynb", "bob"),
    ("plain", "/c/downloaded/01_neurons/extracted/jane_doe_01_neurons (1).ipynb", "jane_doe"),
    ("plain", "/c/downloaded/01_neurons/extracted/carol_01_neurons-2.ipynb", "carol"),
    ("canvas", "/c/extracted/smithjohn_12345_678901_01_neurons.ipynb", "12345"),
    ("canvas", "/c/extracted/smithjohn_LATE_12345_678901_01_neurons-1.ipynb", "12345"),
    ("moodle", "/c/extracted/all/John Smith_1234567_assignsubmission_file_/01_neurons.ipynb", "1234567"),
])
def test_lms_patterns_find_student_and_notebook(lms, path, student):
    match = re.match(grading.lms_pattern(lms, AID), path)
    assert match, f"{lms} pattern does not match {path}"
    assert match["student_id"] == student and match["file_id"] == AID


@pytest.mark.parametrize("lms, path", [
    ("plain", "/c/extracted/alice_02_linear_layer.ipynb"),       # another assignment
    ("plain", "/c/extracted/alice_01_neurons.py"),
    ("canvas", "/c/extracted/alice_01_neurons.ipynb"),           # no Canvas ids
    ("moodle", "/c/extracted/alice/01_neurons.ipynb"),
])
def test_lms_patterns_reject_other_files(lms, path):
    assert re.match(grading.lms_pattern(lms, AID), path) is None


def test_a_custom_pattern_gets_the_assignment_id():
    pattern = grading.lms_pattern("plain", AID, r".*/(?P<student_id>\w+)-(?P<file_id>{aid})\.ipynb$")
    assert re.match(pattern, "/x/dave-01_neurons.ipynb")["student_id"] == "dave"


@pytest.mark.parametrize("students, jobs", [(1, 2), (7, 2), (20, 2), (200, 2), (200, 3), (9, 1)])
def test_the_plan_covers_every_submission_once(students, jobs):
    aids = ["01_neurons", "02_linear_layer", "06_training"]
    pairs = [(f"s{i:03d}", aid) for aid in aids for i in range(students)]
    weights = {"06_training": 5.0, "01_neurons": 1.5}
    plan = grading._plan(pairs, jobs, weights)
    seen = [(s, job.aid) for job in plan for s in job.students]
    assert sorted(seen) == sorted(pairs)
    for job in plan:
        # the others of a run are exactly the rest of that assignment's students
        everyone = {s for s, a in pairs if a == job.aid}
        assert set(job.others) == everyone - set(job.students)
    if jobs == 1:
        assert len(plan) == len(aids)       # one run per assignment
    costs = [len(j.students) * weights.get(j.aid, 1.0) for j in plan]
    assert costs == sorted(costs, reverse=True), "longest runs first"
    if students == 200:
        assert all(5 <= len(j.students) <= 40 for j in plan)


def test_failures_are_read_from_nbgraders_log():
    log = """\
[AutogradeApp | INFO] Sanitizing /c/submitted/alice/01_neurons/01_neurons.ipynb
[AutogradeApp | ERROR] There was an error processing assignment: /c/submitted/eve/01_neurons
[AutogradeApp | ERROR] Traceback (most recent call last):
  File "nbclient/client.py", line 1009, in async_execute_cell
    raise DeadKernelError("Kernel died") from None
nbclient.exceptions.DeadKernelError: Kernel died
[AutogradeApp | ERROR] There was an error processing assignment: /c/submitted/frank/01_neurons
[AutogradeApp | ERROR] Traceback (most recent call last):
  File "nbformat/reader.py", line 18, in parse_json
nbformat.reader.NotJSONError: Notebook does not appear to be JSON: '{"cells": [{'
[AutogradeApp | WARNING] Removing failed assignment: /c/autograded/frank/01_neurons
"""
    failures = grading._failures_in_log(log)
    assert set(failures) == {("eve", AID), ("frank", AID)}
    assert "kernel died" in failures[("eve", AID)]
    assert "not valid JSON" in failures[("frank", AID)]


def test_collect_files_an_lms_download_under_submitted(tmp_path, nb_env):
    root = tmp_path / "course"
    nbutil.copy_assignment(nbutil.source_path(AID).parent, root / "solutions" / AID)
    shutil.copy2(nbutil.NBGRADER_CONFIG, root / "nbgrader_config.py")
    release = nbutil.release_path(AID)
    archive = root / "downloaded" / AID / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "download.zip", "w") as zf:
        zf.write(release, f"alice_{AID}.ipynb")
        zf.write(release, f"bob/{AID}.ipynb")
        zf.write(release, f"carol_{AID} (1).ipynb")
        zf.write(release, "notes_without_a_student.ipynb")
    cmd = [sys.executable, "-m", "tools.grading", "--root", root, "collect"]
    env = dict(nb_env, NBGRADER_DB_URL=f"sqlite:///{tmp_path / 'gradebook.db'}")
    proc = nbutil.run(cmd, cwd=REPO, env=env, timeout=300)
    assert proc.returncode == 0, nbutil.format_run(proc)
    for student in ("alice", "bob", "carol"):
        assert (root / "submitted" / student / AID / f"{AID}.ipynb").is_file(), proc.stdout
    assert sorted(p.name for p in (root / "submitted").iterdir()) == ["alice", "bob", "carol"]
    assert f"{AID}: 3 students in submitted/ (3 new), 1 file skipped" in proc.stdout, proc.stdout
    assert "collect: 1 assignment collected, 3 students with submissions, 1 file skipped, failures: 0" \
        in proc.stdout


@pytest.mark.parametrize("reason, transient", [
    ("RuntimeError: Kernel didn't respond in 60 seconds", True),
    ("RuntimeError: Kernel died before replying to kernel_info", True),
    ("sqlite3.OperationalError: database is locked", True),
    (grading._explain("nbclient.exceptions.DeadKernelError: Kernel died"), False),
    ("the notebook file is not valid JSON", False),
])
def test_only_failures_of_the_machine_are_tried_again(reason, transient):
    assert grading._transient(reason) is transient


@pytest.mark.parametrize("url, backend", [
    ("sqlite:////c/gradebook.db?timeout=60", "sqlite"),
    ("postgresql://nbgrader:pw@127.0.0.1:5432/gradebook", "postgresql"),
    ("postgresql+psycopg://nbgrader:pw@db/gradebook", "postgresql"),
    ("MySQL+pymysql://u@h/db", "mysql"),
])
def test_the_gradebook_backend_is_read_from_the_url(url, backend):
    assert grading.gradebook_backend(url) == backend


@pytest.mark.parametrize("jobs_args, note", [(["--jobs", "2"], True), ([], False)])
def test_autograde_on_sqlite_runs_one_job(tmp_path, nb_env, jobs_args, note):
    """SQLite takes one writer at a time: JOBS=2 falls back to one job and says so;
    without JOBS, one job without a note. (Two jobs on PostgreSQL: test_robustness.py.)"""
    root = tmp_path / "course"
    nbutil.copy_assignment(nbutil.source_path(AID).parent, root / "solutions" / AID)
    shutil.copy2(nbutil.NBGRADER_CONFIG, root / "nbgrader_config.py")
    tool = [sys.executable, "-m", "tools.grading", "--root", root, *jobs_args]
    nb_env = dict(nb_env, NBGRADER_DB_URL=f"sqlite:///{tmp_path / 'gradebook.db'}")
    proc = nbutil.run([*tool, "release"], cwd=REPO, env=nb_env, timeout=300)
    assert proc.returncode == 0, nbutil.format_run(proc)
    for student in ("alice", "bob", "carol"):
        folder = root / "submitted" / student / AID
        folder.mkdir(parents=True)
        shutil.copy2(root / "notebooks" / AID / f"{AID}.ipynb", folder)
    proc = nbutil.run([*tool, "autograde"], cwd=REPO, env=nb_env, timeout=600)
    assert proc.returncode == 0, nbutil.format_run(proc)
    assert "3 submissions from 3 students, 1 assignment, 1 nbgrader run on 1 worker" in proc.stdout, proc.stdout
    assert ("the gradebook is SQLite" in proc.stdout) == note, proc.stdout
    assert "graded" in proc.stdout and "failures: 0" in proc.stdout, proc.stdout


class _Stop(Exception):
    pass


@pytest.mark.parametrize("db_url, jobs, expected_jobs, limited", [
    ("postgresql://nbgrader:pw@127.0.0.1:1/gradebook", 2, 2, True),
    ("postgresql://nbgrader:pw@127.0.0.1:1/gradebook", 1, 1, False),
    ("sqlite:////nowhere/gradebook.db", 2, 1, False),
])
def test_parallel_grading_kernels_share_the_cores(tmp_path, monkeypatch, db_url, jobs, expected_jobs, limited):
    """What autograde hands to its nbgrader runs: the number of workers, and for parallel
    jobs each kernel's share of the cores as its BLAS/OpenMP threads (one on two cores)."""
    (tmp_path / "solutions" / AID).mkdir(parents=True)
    (tmp_path / "solutions" / AID / f"{AID}.ipynb").write_text("{}")
    for student in ("alice", "bob", "carol"):
        (tmp_path / "submitted" / student / AID).mkdir(parents=True)
    shutil.copy2(nbutil.NBGRADER_CONFIG, tmp_path / "nbgrader_config.py")
    course = grading.Course.open(tmp_path, db_url, jobs)
    seen = {}

    def fake_run_jobs(course, plan, make_args, label, logdir, extra_env=None):
        seen.update(jobs=course.jobs, env=dict(extra_env or {}))
        raise _Stop

    monkeypatch.setattr(grading, "_prepare_gradebook", lambda *args: [])
    monkeypatch.setattr(grading, "_run_jobs", fake_run_jobs)
    args = grading.build_parser().parse_args(["autograde"])
    with pytest.raises(_Stop):
        grading.cmd_autograde(course, args)
    assert seen["jobs"] == expected_jobs
    threads = {k: seen["env"].get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    share = str(max(1, (os.cpu_count() or 1) // expected_jobs))
    assert threads == ({k: share for k in threads} if limited else {k: None for k in threads})
    assert seen["env"]["MPLBACKEND"] == "agg"
