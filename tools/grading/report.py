"""What every command prints and the status it exits with.

The exit status follows one rule for every command: EXIT_RULE below, which `--help`
prints as its epilog and docs/instructor.md repeats.
"""
from pathlib import Path

DONE, FAILED, USAGE, INTERRUPTED = 0, 1, 2, 130

EXIT_RULE = """\
exit status, the same for every command:
  0    everything asked for was done (flags of the tamper scan do not count, except
       with scan --strict; nor do the submissions autograde skips: graded already,
       with --new-only, or never handed in by a student named with --student)
  1    some or all of it could not be done: an assignment that could not be released
       or collected, a submission that could not be graded or got no feedback, a
       failed export, anything sandbox-check reached; or nothing to work on (no
       assignment, no download, no submission, nothing autograded, no grades)
  2    usage or configuration error, found before anything was done: a bad option,
       an unknown assignment, an unreadable gradebook URL file, a gradebook that
       cannot be reached, autograde or sandbox-check where no sandbox can start
  130  interrupted (Ctrl-C)"""

UNSANDBOXED = "UNSANDBOXED (--no-sandbox): learner code ran with your files, network and processes"


class UsageError(Exception):
    """Bad usage or configuration, found before any work: the command exits with USAGE."""


def status(failures):
    """DONE when nothing failed, FAILED otherwise."""
    return FAILED if failures else DONE


def count(n, word, plural=None):
    """'1 file', '2 files'."""
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def tail(text, lines=25):
    return "\n".join(text.strip().splitlines()[-lines:])


def indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.splitlines())


def nbgrader_failure(what, code, out):
    """The line for a failed nbgrader run, with the end of its output."""
    return f"  FAILED   {what} (nbgrader exit {code}):\n{indent(tail(out))}"


def duration(seconds):
    if seconds < 90:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {seconds % 60:02.0f} s"


def rel(path, root):
    """`path` relative to the course root where it lies inside it."""
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)


def names(items, most=10):
    """' (a, b)' for a few names, '' for none or for too many to list."""
    return f" ({', '.join(items)})" if 0 < len(items) <= most else ""
