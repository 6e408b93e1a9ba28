"""The course's grading workflow, as thin commands over the real nbgrader CLI.

    python -m tools.grading [--root DIR] [--db-url-file FILE] [--jobs N] [--no-sandbox] COMMAND [options]

    release    nbgrader generate_assignment <id> --force, for every assignment
    collect    nbgrader zip_collect <id> (LMS download in downloaded/<id>/archive),
               or nbgrader collect <id> with --exchange
    autograde  nbgrader autograde for every submission in submitted/, in parallel
               jobs on a PostgreSQL gradebook (one job on SQLite, which takes one
               writer at a time); one bad submission is reported and the rest go
               on; then the scan
    feedback   nbgrader generate_feedback for every autograded submission
    grades     nbgrader export to a CSV, plus a one-row-per-student CSV for an LMS
    scan       the tamper scan of submitted/ (tools/tamper/); never changes a grade
    sandbox-check   grade a probe submission in the sandbox and print what it could reach

Learner code runs only in autograde, and there every notebook's kernel starts in a
bubblewrap sandbox (tools/sandbox/): autograde refuses to run where the sandbox cannot
start, unless --no-sandbox says to grade without one.

Every command ends with a short summary and exits by one rule (report.EXIT_RULE). nbgrader
does the work; these modules pick what to run, run it as subprocesses with the course
root as the working directory, and read the outcome back from the files nbgrader writes
and from its gradebook. `make release`, `make autograde` ... call these commands (see
docs/instructor.md).

One module per command (release, collect, autograde, feedback, grades, scan,
sandbox_check), as nbgrader's own apps/ are, over shared ones:

    course    the Course: folders, configuration, gradebook URL, running nbgrader
    plan      which submissions to grade in which nbgrader runs (pure: no files, no processes)
    jobs      running planned jobs on parallel workers
    outcomes  what became of each submission, read back from nbgrader; autograde's summary
    report    printing summaries, and the exit status rule
    cli       the argument parser and main(); __main__ runs it
"""
from .autograde import cmd_autograde
from .course import Course
from .release import cmd_release
from .report import UNSANDBOXED

__all__ = ["Course", "UNSANDBOXED", "cmd_autograde", "cmd_release"]
