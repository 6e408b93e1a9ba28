"""What became of each submission autograde was asked for, read back from what nbgrader
wrote (its logs, the graded notebooks, the gradebook), and autograde's summary."""
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import tamper
from .report import UNSANDBOXED, count, duration, names, rel

# Lines of nbgrader's log: "[AutogradeApp | ERROR] text" (continuation lines follow).
_LOG_RECORD = re.compile(r"^\[(?P<app>\w+) \| (?P<level>[A-Z]+)\] ?(?P<text>.*)$")


@dataclass
class Outcome:
    student: str
    assignment: str
    status: str = "pending"      # graded | failed
    score: float = None
    max_score: float = None
    reason: str = ""
    notes: list = field(default_factory=list)


def precheck(course, student, aid):
    """Why a submission cannot be graded as handed in ('' when it looks fine)."""
    folder = course.submitted / student / aid
    problems = []
    for name in course.notebooks(aid):
        path = folder / name
        if not path.is_file():
            others = sorted(p.name for p in folder.glob("*.ipynb"))
            problems.append(f"no {name}" + (f" (found {', '.join(others)})" if others else ""))
            continue
        try:
            tamper.read_notebook(path)
        except ValueError as exc:
            problems.append(f"{name} is {exc}")
    return "; ".join(problems)


def failures_in_log(text):
    """{(student, aid): reason} for the submissions an nbgrader log reports as failed."""
    records, current = [], None
    for line in text.splitlines():
        m = _LOG_RECORD.match(line)
        if m:
            current = [m["level"], m["text"]]
            records.append(current)
        elif current is not None:
            current[1] += "\n" + line
    found = {}
    for i, (level, body) in enumerate(records):
        if level not in ("ERROR", "CRITICAL"):
            continue
        m = re.search(r"There was an error processing assignment: (\S+)", body) or \
            re.search(r"While processing assignment (\S+), the kernel became unresponsive", body)
        if not m:
            continue
        path = Path(m.group(1))
        if "unresponsive" in body:
            reason = "the kernel stopped responding and could not be interrupted"
        else:
            reason = explain(records[i + 1][1] if i + 1 < len(records) else "")
        found[(path.parent.name, path.name)] = reason
    return found


def failures_in_logs(jobs):
    """failures_in_log over the logs of finished jobs."""
    found = {}
    for job in jobs:
        found.update(failures_in_log(job.log.read_text(encoding="utf-8", errors="replace")))
    return found


def explain(traceback_text):
    """A short reason for an nbgrader traceback."""
    lines = [ln.strip() for ln in traceback_text.strip().splitlines() if ln.strip()]
    last = lines[-1] if lines else "unknown error"
    text = traceback_text
    if "DeadKernelError" in text:
        return ("the kernel died while running the notebook (os._exit, exit(), a crash, or the "
                "sandbox's memory limit for all of its processes)")
    if "CellTimeoutError" in text and "IOPub" in text:
        return ("a cell hit the time limit and the kernel did not respond to the interrupt "
                "(an endless loop that swallows KeyboardInterrupt?)")
    if "CellTimeoutError" in text:
        return "a cell hit the time limit: " + last
    if "NotJSONError" in text or "JSONDecodeError" in text or "does not appear to be JSON" in text:
        return "the notebook file is not valid JSON"
    if "No notebooks found" in text:
        return "no notebook with the released name"
    if "ValidationError" in text:
        return "the notebook does not follow the notebook format: " + last[:200]
    return last[:300]


def cell_problems(path):
    """Notes about a graded notebook: cells that hit the time limit."""
    notes = []
    try:
        nb = tamper.read_notebook(path)
    except ValueError:
        return notes
    for index, cell in enumerate(nb.get("cells", [])):
        for out in cell.get("outputs", []) or []:
            if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
                gid = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
                notes.append(f"cell {index + 1}{f' ({gid})' if gid else ''} hit the time limit")
    return notes


def read_outcomes(course, outcomes, graded, failures):
    """Fill in `outcomes` ({(student, aid): Outcome}) from the graded files and the
    gradebook; returns the ids of the students in the gradebook."""
    from nbgrader.api import MissingEntry
    with course.gradebook() as gb:
        for (s, a), outcome in outcomes.items():
            if (s, a) in graded:
                outcome.status = "graded"
                try:
                    sub = gb.find_submission(a, s)
                    outcome.score, outcome.max_score = float(sub.score), float(sub.max_score)
                except MissingEntry:
                    outcome.status, outcome.reason = "failed", "graded, but missing from the gradebook"
                for nb in course.notebooks(a):
                    outcome.notes += cell_problems(course.autograded / s / a / nb)
                if outcome.reason and outcome.status == "graded":  # e.g. a missing notebook, scored 0
                    outcome.notes.insert(0, outcome.reason)
                    outcome.reason = ""
            else:
                outcome.status = "failed"
                outcome.reason = outcome.reason or failures.get((s, a)) or \
                    "nbgrader did not produce a graded notebook (see the logs)"
        return {st.id for st in gb.students}


def summary(outcomes, skipped, flags, elapsed, jobs, gradebook_students, sandboxed):
    """Autograde's summary, as written to summary.json."""
    flagged = {}
    for flag in flags:
        flagged.setdefault(flag.student, []).append(flag)
    ordered = sorted(outcomes.values(), key=lambda o: (o.student, o.assignment))
    graded = [o for o in ordered if o.status == "graded"]
    students = sorted({o.student for o in ordered})
    return {
        "seconds": round(elapsed, 2),
        "jobs": jobs,
        "submissions": len(outcomes),
        "students": students,
        "students_graded": sorted({o.student for o in graded}),
        "graded": len(graded),
        "failed": [asdict(o) for o in ordered if o.status == "failed"],
        "outcomes": [asdict(o) for o in ordered],
        "skipped": [{"student": s, "assignment": a, "reason": why} for (s, a), why in sorted(skipped.items())],
        "flagged": {s: [str(f) for f in fl] for s, fl in sorted(flagged.items())},
        "flags": [asdict(f) for f in flags],
        "missing_from_gradebook": sorted(set(students) - set(gradebook_students)),
        "sandbox": sandboxed,
    }


def print_skipped(skipped):
    """One line per reason: how many submissions were skipped, and whose."""
    by_reason = {}
    for (s, a), why in sorted(skipped.items()):
        by_reason.setdefault(why, []).append(f"{s} {a}")
    for why, which in by_reason.items():
        print(f"  skipped  {count(len(which), 'submission')}, {why}{names(which)}")


def print_flags(flags):
    if flags:
        print(f"tamper scan: {count(len(flags), 'flag')} (each needs a look; the scan does not change grades)")
        for flag in flags:
            print(f"  {flag}")


def print_summary(summary, logdir, root):
    for o in summary["outcomes"]:
        if o["status"] == "graded" and o["notes"]:
            print(f"  note     {o['student']} {o['assignment']}: {'; '.join(o['notes'])}")
    for o in summary["failed"]:
        print(f"  FAILED   {o['student']} {o['assignment']}: {o['reason']}")
    if summary["missing_from_gradebook"]:
        print(f"  not in the gradebook: {', '.join(summary['missing_from_gradebook'])}")
    skipped = f", skipped: {len(summary['skipped'])}" if summary["skipped"] else ""
    print(f"autograde summary: {len(summary['students_graded'])} of {len(summary['students'])} students "
          f"graded ({summary['graded']} of {summary['submissions']} submissions), "
          f"failures: {len(summary['failed'])}{skipped}, flagged: {count(len(summary['flagged']), 'student')}"
          f"{names(list(summary['flagged']))}; "
          f"{duration(summary['seconds'])} with {count(summary['jobs'], 'job')}; "
          f"{'sandboxed' if summary['sandbox'] else UNSANDBOXED}; logs in {rel(logdir, root)}/")
