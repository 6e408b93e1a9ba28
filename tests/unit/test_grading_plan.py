"""How autograde plans its work (tools/grading/plan.py): which submissions it grades, in
which nbgrader runs, and what it skips and why. The planning functions take plain data
and touch no file, so these tests run no nbgrader and need no course folder.
"""
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tools.grading import outcomes  # noqa: E402
from tools.grading.plan import (ALREADY_GRADED, NOT_HANDED_IN, Job, measured_weights,  # noqa: E402
                                plan_autograde, plan_retry, split_jobs, transient)

AIDS = ["01_neurons", "02_linear_layer", "06_training"]


def class_of(n, aids=AIDS):
    return [(f"s{i:03d}", aid) for aid in aids for i in range(n)]


def graded_by(plan):
    return sorted((s, job.aid) for job in plan.jobs for s in job.students)


@pytest.mark.parametrize("students, jobs", [(1, 2), (7, 2), (20, 2), (200, 2), (200, 3), (9, 1)])
def test_the_runs_cover_every_submission_once(students, jobs):
    pairs = class_of(students)
    weights = {"06_training": 5.0, "01_neurons": 1.5}
    runs = split_jobs(pairs, jobs, weights)
    seen = [(s, job.aid) for job in runs for s in job.students]
    assert sorted(seen) == sorted(pairs)
    for job in runs:
        # the others of a run are exactly the rest of that assignment's students
        everyone = {s for s, a in pairs if a == job.aid}
        assert set(job.others) == everyone - set(job.students)
    if jobs == 1:
        assert len(runs) == len(AIDS)       # one run per assignment
    costs = [len(j.students) * weights.get(j.aid, 1.0) for j in runs]
    assert costs == sorted(costs, reverse=True), "longest runs first"
    if students == 200:
        assert all(5 <= len(j.students) <= 40 for j in runs)


def test_runs_are_balanced_by_the_recorded_weights():
    """The slow assignment's runs start first, and two workers that each take the next run
    when free end within one run of each other."""
    weights = {"02_linear_layer": 9.0}
    plan = plan_autograde(class_of(40), AIDS, jobs=2, backend="postgresql", weights=weights)
    assert plan.workers == 2 and len(plan.jobs) > len(AIDS)
    heavy = [j for j in plan.jobs if j.aid == "02_linear_layer"]
    assert plan.jobs[:len(heavy)] == heavy
    cost = [len(j.students) * weights.get(j.aid, 1.0) for j in plan.jobs]
    loads = [0.0, 0.0]
    for c in cost:
        loads[loads.index(min(loads))] += c
    assert abs(loads[0] - loads[1]) <= max(cost), (loads, cost)


def test_sqlite_gets_one_worker_and_one_run_per_assignment():
    plan = plan_autograde(class_of(30), AIDS, jobs=4, backend="sqlite")
    assert plan.workers == 1
    assert sorted(j.aid for j in plan.jobs) == AIDS and all(len(j.students) == 30 for j in plan.jobs)


def test_everything_handed_in_is_graded_by_default():
    pairs = class_of(3)
    plan = plan_autograde(pairs, AIDS)
    assert plan.grade == sorted(pairs, key=lambda p: (AIDS.index(p[1]), p[0]))
    assert graded_by(plan) == sorted(pairs) and plan.skipped == {}


def test_a_student_who_did_not_hand_in_is_not_graded():
    """Only the students named on the command line are reported as missing."""
    pairs = [("alice", "01_neurons"), ("alice", "02_linear_layer"), ("bob", "01_neurons")]
    plan = plan_autograde(pairs, ["01_neurons", "02_linear_layer"])
    assert plan.grade == pairs[:1] + pairs[2:] + pairs[1:2] and plan.skipped == {}
    named = plan_autograde(pairs, ["01_neurons", "02_linear_layer"], ["bob", "zed"])
    assert named.grade == [("bob", "01_neurons")]
    assert named.skipped == {("zed", "01_neurons"): NOT_HANDED_IN, ("bob", "02_linear_layer"): NOT_HANDED_IN,
                             ("zed", "02_linear_layer"): NOT_HANDED_IN}


def test_new_only_skips_what_is_graded_already():
    pairs = class_of(4, AIDS[:1])
    graded = {("s000", AIDS[0]), ("s002", AIDS[0])}
    plan = plan_autograde(pairs, AIDS[:1], graded=graded, new_only=True)
    assert plan.grade == [("s001", AIDS[0]), ("s003", AIDS[0])]
    assert plan.skipped == {pair: ALREADY_GRADED for pair in graded}
    # The graded ones are left alone by nbgrader, which would otherwise grade them again.
    assert [sorted(j.others) for j in plan.jobs] == [["s000", "s002"]]
    again = plan_autograde(pairs, AIDS[:1], graded=graded)
    assert graded_by(again) == sorted(pairs) and again.skipped == {}


def test_selection_keeps_nbgrader_off_the_other_students_and_assignments():
    """nbgrader autograde <id> grades every student of <id> unless excluded: a run for one
    student excludes all the others who handed in that assignment."""
    pairs = class_of(5)
    plan = plan_autograde(pairs, ["06_training"], ["s003"], jobs=2, backend="postgresql")
    assert plan.grade == [("s003", "06_training")]
    [job] = plan.jobs
    assert job.aid == "06_training" and job.students == ["s003"]
    assert job.others == ["s000", "s001", "s002", "s004"]
    assert plan.submitted == sorted(pairs)


def test_an_empty_plan():
    plan = plan_autograde([], AIDS, jobs=3, backend="postgresql")
    assert plan.grade == [] and plan.jobs == [] and plan.skipped == {}
    # Submissions exist, but not for the assignment asked for.
    other = plan_autograde(class_of(2, ["01_neurons"]), ["06_training"])
    assert other.grade == [] and other.jobs == [] and other.skipped == {}
    everything_done = plan_autograde(class_of(2, ["01_neurons"]), ["01_neurons"], new_only=True,
                                     graded=set(class_of(2, ["01_neurons"])))
    assert everything_done.jobs == [] and set(everything_done.skipped.values()) == {ALREADY_GRADED}


def test_the_plan_is_made_from_the_data_alone(tmp_path, monkeypatch):
    """No course folder, no gradebook: names that exist nowhere plan as well as real ones."""
    monkeypatch.chdir(tmp_path)
    plan = plan_autograde([("nobody", "no_such_assignment")], ["no_such_assignment"], jobs=8,
                          backend="postgresql", weights={"no_such_assignment": 3.0})
    assert graded_by(plan) == [("nobody", "no_such_assignment")]
    assert list(tmp_path.iterdir()) == []


def test_a_second_try_only_for_what_the_machine_failed():
    pairs = class_of(4, AIDS[:1])
    plan = plan_autograde(pairs, AIDS[:1])
    aid = AIDS[0]
    graded = {("s000", aid)}
    failures = {("s001", aid): "the notebook file is not valid JSON",          # the notebook's fault
                ("s002", aid): "RuntimeError: Kernel didn't respond in 60 seconds"}  # the machine's
    retry = plan_retry(plan, graded, failures)              # s003: never reached
    assert [(j.aid, j.students) for j in retry] == [(aid, ["s002", "s003"])]
    assert retry[0].others == ["s000", "s001"]
    assert plan_retry(plan, set(pairs), {}) == []


@pytest.mark.parametrize("reason, is_transient", [
    ("RuntimeError: Kernel didn't respond in 60 seconds", True),
    ("RuntimeError: Kernel died before replying to kernel_info", True),
    ("sqlite3.OperationalError: database is locked", True),
    (outcomes.explain("nbclient.exceptions.DeadKernelError: Kernel died"), False),
    ("the notebook file is not valid JSON", False),
])
def test_only_failures_of_the_machine_are_tried_again(reason, is_transient):
    assert transient(reason) is is_transient


def test_measured_weights_are_seconds_per_submission():
    runs = [Job("a", ["x", "y"], [], seconds=10.0), Job("a", ["z"], [], seconds=2.0),
            Job("b", ["x"], [], seconds=0.0)]          # b did not run: its old weight stays
    assert measured_weights(runs, {"b": 4.0, "c": 1.0}) == {"a": 3.5, "b": 4.0, "c": 1.0}
