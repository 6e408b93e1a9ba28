"""Planning autograde and feedback: which submissions, in which nbgrader runs. Pure.

Nothing here reads a file or runs a process: the commands gather what is on disk (the
submissions found, what is already autograded, the timings of earlier runs), ask for a
plan, and run it (jobs.py).
"""
import math
from dataclasses import dataclass, field
from pathlib import Path

# Why a submission asked for is not graded.
NOT_HANDED_IN = "nothing handed in"
ALREADY_GRADED = "already autograded (--new-only)"

# Failures that say nothing about the notebook: a kernel that did not start (which
# happens before any learner code runs), or a gradebook that stayed locked.
_TRANSIENT = ("Kernel didn't respond in", "Kernel died before replying to kernel_info",
              "Kernel didn't respond to heartbeats", "database is locked")


@dataclass
class Job:
    """One nbgrader run: one assignment, some of its students."""
    aid: str
    students: list
    others: list                 # the assignment's other students, whom this run leaves alone
    log: Path = None             # set by jobs.run_jobs
    seconds: float = 0.0
    code: int = None


@dataclass
class Plan:
    grade: list                  # (student, aid) pairs to grade, in the order asked
    jobs: list                   # Jobs, longest first, that grade exactly those
    workers: int                 # how many run at a time
    skipped: dict = field(default_factory=dict)    # (student, aid) -> why it is not graded
    submitted: list = field(default_factory=list)  # every (student, aid) found, graded or not


def split_jobs(pairs, jobs, weights, everyone=None):
    """Split (student, assignment) pairs into nbgrader runs, longest first.

    One run per assignment when running one job at a time; otherwise chunks of students,
    about four runs per worker so the workers finish together, and at least five
    notebooks per run so nbgrader's start-up (2-3 s) stays small against the work.
    Each run's `others` are the students of its assignment in `everyone` (default: the
    pairs) outside the run, which it must exclude: nbgrader grades every student of an
    assignment unless told not to.
    """
    by_aid = {}
    for student, aid in pairs:
        by_aid.setdefault(aid, []).append(student)
    every = {}
    for student, aid in (pairs if everyone is None else everyone):
        every.setdefault(aid, []).append(student)
    plan = []
    total = len(pairs)
    chunk = total if jobs == 1 else max(5, min(40, math.ceil(total / (4 * jobs))))
    for aid, students in by_aid.items():
        parts = max(1, math.ceil(len(students) / chunk))
        size = math.ceil(len(students) / parts)
        for i in range(parts):
            mine = students[i * size:(i + 1) * size]
            if mine:
                plan.append(Job(aid, mine, sorted(set(every.get(aid, [])) - set(mine))))
    plan.sort(key=lambda j: len(j.students) * weights.get(j.aid, 1.0), reverse=True)
    return plan


def autograde_workers(jobs, backend):
    """Parallel runs for autograde: one on SQLite, which locks the whole file for each
    write (parallel runs queue on the lock, and under load one can wait past any
    timeout and lose its grades); `jobs` on a server database."""
    return 1 if backend == "sqlite" else max(1, jobs)


def plan_autograde(submitted, assignments, students=None, *, graded=(), new_only=False,
                   jobs=1, backend="sqlite", weights=None):
    """What autograde grades, in which runs, and what it skips and why.

    submitted    every (student, aid) with a folder in submitted/
    assignments  the assignment ids asked for
    students     the student ids asked for (None: everyone who handed something in)
    graded       the (student, aid) pairs whose autograded copy is complete
    new_only     skip those (--new-only); otherwise they are graded again
    jobs, backend  --jobs and the gradebook's database (see autograde_workers)
    weights      {aid: seconds per submission} from earlier runs, so the slow runs start first
    """
    submitted = sorted(set(submitted))
    found = set(submitted)
    graded = set(graded)
    wanted = sorted({s for s, a in submitted if a in assignments} if students is None else set(students))
    grade, skipped = [], {}
    for aid in assignments:
        for student in wanted:
            pair = (student, aid)
            if pair not in found:
                # Only students named on the command line are missed; the rest just did not hand in.
                if students is not None:
                    skipped[pair] = NOT_HANDED_IN
            elif new_only and pair in graded:
                skipped[pair] = ALREADY_GRADED
            else:
                grade.append(pair)
    workers = autograde_workers(jobs, backend)
    return Plan(grade, split_jobs(grade, workers, weights or {}, submitted), workers, skipped, submitted)


def transient(reason):
    """Whether a failure is one of the machine, not of the notebook (worth a second try)."""
    return any(text in reason for text in _TRANSIENT)


def plan_retry(plan, graded, failures, weights=None):
    """One more, sequential round for the submissions of `plan` that are not graded now
    and that nbgrader never reached (a run that stopped early) or that failed for a
    reason of the machine (`failures`: {(student, aid): reason} read from the logs)."""
    graded = set(graded)
    again = [pair for pair in plan.grade if pair not in graded
             and (pair not in failures or transient(failures[pair]))]
    return split_jobs(again, 1, weights or {}, plan.submitted)


def measured_weights(jobs, old):
    """Seconds per submission per assignment, measured by the finished `jobs`, over `old`."""
    per = {}
    for job in jobs:
        if job.students and job.seconds:
            per.setdefault(job.aid, []).append(job.seconds / len(job.students))
    weights = dict(old)
    weights.update({aid: round(sum(v) / len(v), 3) for aid, v in per.items()})
    return weights
