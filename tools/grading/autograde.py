"""autograde: nbgrader autograde for every submission asked for, in parallel jobs on a
PostgreSQL gradebook (one job on SQLite); one bad submission is reported and the rest
go on; then the tamper scan.

cmd_autograde gathers what is on disk, asks plan.plan_autograde what to run, runs it
(every kernel in the sandbox), tries once more what failed for a reason of the machine,
and reads the outcome back (outcomes.py).
"""
import json
import os
import tempfile
import time
from pathlib import Path

from .. import tamper
from . import outcomes as results
from .course import sandbox_refusal
from .jobs import exclude_args, run_jobs
from .plan import ALREADY_GRADED, measured_weights, plan_autograde, plan_retry
from .report import DONE, FAILED, UNSANDBOXED, USAGE, count, nbgrader_failure, rel, status

# Files a submission may carry that Python would import from the grading directory
# (it is the kernel's working directory, first on sys.path): autograde leaves them out.
# The first four are nbgrader's own defaults for CourseDirectory.ignore.
AUTOGRADE_IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                    "*.py", "*.pyo", "*.pyd", "*.so", "*.pth",
                    "sitecustomize*", "usercustomize*"]


def cmd_autograde(course, args):
    start = time.perf_counter()
    aids = course.pick_assignments(args.assignment)
    submitted = [(s, a) for a in aids for s in course.handed_in(course.submitted, a)]
    logdir = course.autograded / ".logs"
    timings = logdir / "timings.json"
    weights = _read_weights(timings)
    plan = plan_autograde(submitted, aids, args.student, graded=_graded(course, submitted),
                          new_only=args.new_only, jobs=course.jobs, backend=course.backend, weights=weights)
    results.print_skipped(plan.skipped)
    already = [pair for pair, why in plan.skipped.items() if why == ALREADY_GRADED]
    if not plan.grade:
        if already:
            print(f"autograde: nothing new to grade ({count(len(already), 'submission')} graded already)")
            return DONE
        print(f"autograde: no submissions in {rel(course.submitted, course.root)}/ "
              f"for {', '.join(aids) or 'any assignment'}"
              + (f" from {', '.join(args.student)}" if args.student else ""))
        return FAILED
    refusal = sandbox_refusal(course, "autograde")
    if refusal:
        print(refusal)
        return USAGE
    if course.jobs_given and plan.workers < course.jobs:
        print(f"autograde: {course.jobs} jobs asked for, but the gradebook is SQLite, which takes "
              "one writer at a time; grading with 1 job. Parallel autograde needs a PostgreSQL "
              "gradebook: DB_URL=postgresql://... (docs/deploy.md).")
    registered, problem = _prepare_gradebook(course, aids, sorted({s for s, _ in plan.grade}))
    for aid in registered:
        print(f"  recorded {aid} in the gradebook (it had not been released with this gradebook)")
    if problem:
        print(problem)
        return FAILED

    outcomes = {pair: results.Outcome(*pair, reason=results.precheck(course, *pair)) for pair in plan.grade}
    print(f"autograde: {count(len(plan.grade), 'submission')} from "
          f"{count(len({s for s, _ in plan.grade}), 'student')}, {count(len(aids), 'assignment')}, "
          f"{count(len(plan.jobs), 'nbgrader run')} on {count(plan.workers, 'worker')}; "
          f"{'each kernel in the sandbox' if course.sandboxed else UNSANDBOXED}")
    make_args = _autograde_args(course)
    extra_env = _kernel_env(plan.workers, args.figures)
    run_jobs(course, plan.jobs, make_args, "autograde", logdir, plan.workers, extra_env)
    failures = results.failures_in_logs(plan.jobs)
    retry = plan_retry(plan, _graded(course, plan.grade), failures, weights)
    if retry:
        again = sum(len(job.students) for job in retry)
        print(f"  trying {count(again, 'submission')} again, one at a time "
              "(not reached, or the kernel failed to start)")
        for job in retry:
            for student in job.students:
                failures.pop((student, job.aid), None)
        run_jobs(course, retry, make_args, "autograde-retry", logdir, 1, extra_env)
        failures.update(results.failures_in_logs(retry))
    _write_weights(timings, measured_weights(plan.jobs + retry, weights))

    in_gradebook = results.read_outcomes(course, outcomes, _graded(course, plan.grade), failures)
    flags, _, _ = tamper.scan_course(course.root, aids, sorted({s for s, _ in plan.grade}),
                                     source_dir=course.source.name, submitted_dir=course.submitted.name)
    results.print_flags(flags)
    summary = results.summary(outcomes, plan.skipped, flags, time.perf_counter() - start, plan.workers,
                              in_gradebook, course.sandboxed)
    results.print_summary(summary, logdir, course.root)
    text = json.dumps(summary, indent=1)
    (logdir / "summary.json").write_text(text, encoding="utf-8")
    if args.json:
        Path(args.json).write_text(text, encoding="utf-8")
    return status(summary["failed"] or summary["missing_from_gradebook"])


def _graded(course, pairs):
    """The pairs whose autograded copy holds every notebook of the assignment."""
    return {(s, a) for s, a in pairs if course.complete(course.autograded, s, a)}


def _read_weights(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _write_weights(path, weights):
    """Kept for the next run, so that it starts the slow runs first."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(weights, indent=1), encoding="utf-8")
    except OSError:
        pass


def _autograde_args(course):
    """nbgrader's arguments for one job (the plan decides what is graded again: --force)."""
    timeout = [f"--Execute.timeout={course.timeout}"] if course.timeout else []
    ignore = [f"--CourseDirectory.ignore={pattern}" for pattern in AUTOGRADE_IGNORE]
    return lambda job: ["autograde", job.aid, "--force", *timeout, *ignore, *exclude_args(job)]


def _kernel_env(workers, figures):
    """What the grading kernels get in their environment, beside what they inherit."""
    # With matplotlib's non-interactive Agg backend the notebooks' figures are not
    # rendered to PNG, which halves the time of the notebooks with many plots and
    # changes nothing a test can see (--figures keeps them).
    env = {} if figures else {"MPLBACKEND": "agg"}
    if workers > 1:
        # The jobs are the parallelism: each grading kernel gets its share of the cores
        # for BLAS/OpenMP. Otherwise every kernel starts a thread per core, and the jobs'
        # busy-waiting BLAS threads on the same cores slow each other down.
        threads = str(max(1, (os.cpu_count() or 1) // workers))
        env.update(OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads, MKL_NUM_THREADS=threads)
    return env


def _prepare_gradebook(course, aids, students):
    """Create the gradebook once, before parallel jobs, and add what autograde needs.

    Every submitting student is added (nbgrader would add them too, but only when their
    submission gets that far); an assignment that was never released on this machine is
    registered with generate_assignment into a temporary folder, leaving notebooks/ as is.
    Returns (the assignments registered, '' or why one could not be).
    """
    registered = []
    with course.gradebook() as gb:
        for student in students:
            gb.update_or_create_student(student)
        known = {a.name: {n.name for n in a.notebooks} for a in gb.assignments}
    for aid in aids:
        wanted = {Path(nb).stem for nb in course.notebooks(aid)}
        if wanted <= known.get(aid, set()):
            continue
        with tempfile.TemporaryDirectory(prefix="nbgrader-register-") as tmp:
            code, out = course.run("generate_assignment", aid, "--force",
                                   f"--CourseDirectory.release_directory={tmp}")
        if code != 0:
            return registered, nbgrader_failure(f"recording {aid} in the gradebook (generate_assignment)",
                                                code, out)
        registered.append(aid)
    return registered, ""
