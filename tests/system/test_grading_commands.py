"""The grading commands' own logic (tools/grading/): LMS file-name patterns, how failures
are read from nbgrader's log, the exit status, and `collect` end to end with the real
`nbgrader zip_collect`. How autograde plans its nbgrader runs: test_grading_plan.py.

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

from tools.grading import autograde, cli, collect, outcomes  # noqa: E402
from tools.grading.course import Course, gradebook_backend  # noqa: E402

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
    match = re.match(collect.lms_pattern(lms, AID), path)
    assert match, f"{lms} pattern does not match {path}"
    assert match["student_id"] == student and match["file_id"] == AID


@pytest.mark.parametrize("lms, path", [
    ("plain", "/c/extracted/alice_02_linear_layer.ipynb"),       # another assignment
    ("plain", "/c/extracted/alice_01_neurons.py"),
    ("canvas", "/c/extracted/alice_01_neurons.ipynb"),           # no Canvas ids
    ("moodle", "/c/extracted/alice/01_neurons.ipynb"),
])
def test_lms_patterns_reject_other_files(lms, path):
    assert re.match(collect.lms_pattern(lms, AID), path) is None


def test_a_custom_pattern_gets_the_assignment_id():
    pattern = collect.lms_pattern("plain", AID, r".*/(?P<student_id>\w+)-(?P<file_id>{aid})\.ipynb$")
    assert re.match(pattern, "/x/dave-01_neurons.ipynb")["student_id"] == "dave"


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
    failures = outcomes.failures_in_log(log)
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


@pytest.mark.parametrize("url, backend", [
    ("sqlite:////c/gradebook.db?timeout=60", "sqlite"),
    ("postgresql://nbgrader:pw@127.0.0.1:5432/gradebook", "postgresql"),
    ("postgresql+psycopg://nbgrader:pw@db/gradebook", "postgresql"),
    ("MySQL+pymysql://u@h/db", "mysql"),
])
def test_the_gradebook_backend_is_read_from_the_url(url, backend):
    assert gradebook_backend(url) == backend


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
    course = Course.open(tmp_path, db_url, jobs)
    seen = {}

    def fake_run_jobs(course, plan, make_args, label, logdir, workers, extra_env=None):
        seen.update(jobs=workers, env=dict(extra_env or {}))
        raise _Stop

    monkeypatch.setattr(autograde, "_prepare_gradebook", lambda *args: ([], ""))
    monkeypatch.setattr(autograde, "run_jobs", fake_run_jobs)
    args = cli.build_parser().parse_args(["autograde"])
    with pytest.raises(_Stop):
        autograde.cmd_autograde(course, args)
    assert seen["jobs"] == expected_jobs
    threads = {k: seen["env"].get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    share = str(max(1, (os.cpu_count() or 1) // expected_jobs))
    assert threads == ({k: share for k in threads} if limited else {k: None for k in threads})
    assert seen["env"]["MPLBACKEND"] == "agg"


# ------------------------------------------------------------------ exit status

EMPTY_NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def _course(tmp_path, students=("alice",)):
    """A course folder with one assignment (an empty notebook) and a submission from each student."""
    (tmp_path / "solutions" / AID).mkdir(parents=True)
    (tmp_path / "solutions" / AID / f"{AID}.ipynb").write_text(EMPTY_NOTEBOOK)
    for student in students:
        (tmp_path / "submitted" / student / AID).mkdir(parents=True)
        (tmp_path / "submitted" / student / AID / f"{AID}.ipynb").write_text(EMPTY_NOTEBOOK)
    shutil.copy2(nbutil.NBGRADER_CONFIG, tmp_path / "nbgrader_config.py")
    return tmp_path


@pytest.mark.parametrize("argv", [
    ["scan", "-a", "no_such_assignment"],
    ["autograde", "-a", "no_such_assignment"],
    ["--db-url-file", "/nonexistent/db-url", "grades"],
])
def test_usage_and_configuration_errors_exit_2(tmp_path, capsys, argv):
    root = _course(tmp_path)
    assert cli.main(["--root", str(root), *argv]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and ("no_such_assignment" in err or "gradebook URL file" in err), err


def _closed_port():
    """A localhost TCP port that nothing listens on (bound, then released)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", ["release", "autograde", "feedback", "grades"])
@pytest.mark.parametrize("where", ["server", "folder", "garbage"])
def test_an_unreachable_gradebook_exits_2_before_any_work(tmp_path, monkeypatch, capsys, command, where):
    root = _course(tmp_path)
    url = {"server": f"postgresql://grader:s3cret-pw@127.0.0.1:{_closed_port()}/course",
           "folder": f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'gradebook.db'}",
           "garbage": "not a database url"}[where]
    monkeypatch.setenv("NBGRADER_DB_URL", url)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert cli.main(["--root", str(root), command]) == 2
    out, err = capsys.readouterr()
    assert "error:" in err and "gradebook" in err, err
    assert "Traceback" not in out + err and "s3cret-pw" not in out + err, out + err
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before  # nothing was done


def test_a_bad_option_exits_2_too(tmp_path):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--root", str(tmp_path), "autograde", "--no-such-option"])
    assert stop.value.code == 2


def test_autograde_where_no_sandbox_can_start_exits_2(tmp_path, monkeypatch, capsys):
    from tools import sandbox

    def unavailable():
        raise sandbox.SandboxUnavailable("no bwrap here")

    monkeypatch.setattr(sandbox, "preflight", unavailable)
    root = _course(tmp_path)
    monkeypatch.setenv("NBGRADER_DB_URL", f"sqlite:///{tmp_path / 'gradebook.db'}")
    assert cli.main(["--root", str(root), "autograde"]) == 2
    assert cli.main(["--root", str(root), "sandbox-check"]) == 2
    assert "stopped before grading anything: no bwrap here" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["autograde"], ["feedback"], ["scan"], ["collect"]])
def test_nothing_to_work_on_exits_1(tmp_path, monkeypatch, argv):
    root = _course(tmp_path, students=())
    monkeypatch.setenv("NBGRADER_DB_URL", f"sqlite:///{tmp_path / 'gradebook.db'}")
    assert cli.main(["--root", str(root), *argv]) == 1


def test_autograde_exits_1_when_a_submission_was_not_graded(tmp_path, monkeypatch, capsys):
    """nbgrader (faked here) grades nothing: every submission asked for has failed."""
    root = _course(tmp_path, students=("alice", "bob"))
    monkeypatch.setenv("NBGRADER_DB_URL", f"sqlite:///{tmp_path / 'gradebook.db'}")
    runs = []

    def fake_run_jobs(course, plan, make_args, label, logdir, workers, extra_env=None):
        for i, job in enumerate(plan):
            job.log = logdir / f"{label}-{i}.log"
            job.log.parent.mkdir(parents=True, exist_ok=True)
            job.log.write_text("")
            runs.append((label, job.aid, job.students, make_args(job)))

    monkeypatch.setattr(autograde, "_prepare_gradebook", lambda *args: ([], ""))
    monkeypatch.setattr(autograde, "run_jobs", fake_run_jobs)
    assert cli.main(["--root", str(root), "autograde", "-s", "bob"]) == 1
    out = capsys.readouterr().out
    assert "FAILED   bob 01_neurons: nbgrader did not produce a graded notebook" in out, out
    # bob alone, and alice left alone by nbgrader (first try, then the second one)
    assert [(label, students) for label, _, students, _ in runs] == [("autograde", ["bob"]),
                                                                     ("autograde-retry", ["bob"])]
    assert all("--CourseDirectory.student_id_exclude=alice" in args for *_, args in runs)
