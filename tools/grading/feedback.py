"""feedback: nbgrader generate_feedback for every autograded submission asked for."""
import time
from pathlib import Path

from .jobs import exclude_args, run_jobs
from .plan import split_jobs
from .report import FAILED, count, duration, rel, status


def cmd_feedback(course, args):
    start = time.perf_counter()
    aids = course.pick_assignments(args.assignment)
    graded = [(s, a) for a in aids for s in course.handed_in(course.autograded, a)]
    pairs = [(s, a) for s, a in graded if not args.student or s in args.student]
    if not pairs:
        print("feedback: nothing autograded yet (run make autograde first)")
        return FAILED
    plan = split_jobs(pairs, course.jobs, {}, graded)
    print(f"feedback: {count(len(pairs), 'graded submission')}, {count(len(plan), 'nbgrader run')} on "
          f"{count(course.jobs, 'worker')}")
    run_jobs(course, plan, lambda job: ["generate_feedback", job.aid, "--force", *exclude_args(job)],
             "feedback", course.feedback / ".logs", course.jobs)
    missing = [(s, a) for s, a in pairs
               if not course.complete(course.feedback, s, a, lambda nb: Path(nb).stem + ".html")]
    for s, a in missing:
        print(f"  FAILED   {s} {a}: no feedback written (see {rel(course.feedback / '.logs', course.root)}/)")
    print(f"feedback summary: {len(pairs) - len(missing)} of {len(pairs)} submissions have feedback in "
          f"{rel(course.feedback, course.root)}/<student>/<assignment>/, "
          f"{count(len({s for s, _ in pairs} - {s for s, _ in missing}), 'student')}; "
          f"failures: {len(missing)}; {duration(time.perf_counter() - start)}")
    return status(missing)
