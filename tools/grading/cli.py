"""The command line: python -m tools.grading [options] COMMAND [options]."""
import argparse
import sys

from .autograde import cmd_autograde
from .collect import LMS_PATTERNS, cmd_collect
from .course import Course
from .feedback import cmd_feedback
from .grades import cmd_grades
from .release import cmd_release
from .report import EXIT_RULE, INTERRUPTED, USAGE, UsageError
from .sandbox_check import cmd_sandbox_check
from .scan import cmd_scan

PROG = "python -m tools.grading"

COMMANDS = {"release": cmd_release, "collect": cmd_collect, "autograde": cmd_autograde,
            "feedback": cmd_feedback, "grades": cmd_grades, "scan": cmd_scan,
            "sandbox-check": cmd_sandbox_check}
# The commands that read or write the course's gradebook (collect, scan and sandbox-check do not).
USES_GRADEBOOK = {"release", "autograde", "feedback", "grades"}


def build_parser():
    parser = argparse.ArgumentParser(
        prog=PROG, description="Grading workflow over the nbgrader CLI (see docs/instructor.md).",
        epilog=EXIT_RULE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", help="course root (default: this repository)")
    parser.add_argument("--db-url-file", help="file that holds the gradebook URL (default: "
                                              "$NBGRADER_DB_URL_FILE, $NBGRADER_DB_URL, nbgrader_config.py, "
                                              "else sqlite:///<root>/gradebook.db); never put the URL "
                                              "itself on a command line")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="autograde without the sandbox: learner code then runs with your files, "
                             "network and processes (only for a machine where bubblewrap cannot run)")
    parser.add_argument("--jobs", "-j", type=int, default=None,
                        help="parallel nbgrader runs for autograde and feedback (default: CPU count); "
                             "autograde runs one job on a SQLite gradebook")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name, help, students=True, assignments=True):
        p = sub.add_parser(name, help=help, epilog=EXIT_RULE, formatter_class=argparse.RawDescriptionHelpFormatter)
        if assignments:
            p.add_argument("--assignment", "-a", action="append",
                           help="only this assignment (repeat for more; default: all)")
        if students:
            p.add_argument("--student", "-s", action="append",
                           help="only this student (repeat for more; default: all)")
        return p

    command("release", "generate the learner notebooks (nbgrader generate_assignment)", students=False)
    p = command("collect", "collect submissions (nbgrader zip_collect or collect)", students=False)
    p.add_argument("--lms", choices=sorted(LMS_PATTERNS), default="plain",
                   help="file-name layout of the LMS download (default: plain)")
    p.add_argument("--regexp", help="your own nbgrader named_regexp; {aid} stands for the assignment id")
    p.add_argument("--exchange", action="store_true",
                   help="use `nbgrader collect` (nbgrader exchange on a shared server) instead")
    p = command("autograde", "autograde every submission, then run the scan")
    p.add_argument("--timeout", type=int, help="per-cell time limit in seconds (default: nbgrader_config.py)")
    p.add_argument("--new-only", action="store_true",
                   help="skip submissions whose autograded copy is complete (otherwise they are graded again)")
    p.add_argument("--figures", action="store_true",
                   help="render the notebooks' figures (slower; by default autograde skips them, "
                        "so feedback shows no plots)")
    p.add_argument("--json", help="also write the summary as JSON to this file")
    command("feedback", "write HTML feedback (nbgrader generate_feedback)")
    p = command("grades", "export grades to CSV (nbgrader export)", students=False, assignments=False)
    p.add_argument("--output", "-o", help="CSV path (default: <root>/grades.csv)")
    p = command("scan", "tamper scan of submitted/ (never changes grades)")
    p.add_argument("--tsv", action="store_true", help="tab-separated flags on stdout, summary on stderr")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when anything is flagged")
    command("sandbox-check", "grade a probe submission in the sandbox and print, item by item, what it "
                             "could reach (exit 1 if it reached anything)", students=False, assignments=False)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        course = Course.open(args.root, None, args.jobs, getattr(args, "timeout", None),
                             db_url_file=args.db_url_file, sandboxed=not args.no_sandbox)
        if args.command in USES_GRADEBOOK:
            course.check_gradebook()
        return COMMANDS[args.command](course, args)
    except UsageError as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        return INTERRUPTED
