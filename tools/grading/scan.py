"""scan: the tamper scan of submitted/ (tools/tamper/); it never changes a grade."""
import sys

from .. import tamper
from .report import FAILED, count, names, status


def cmd_scan(course, args):
    aids = course.pick_assignments(args.assignment)
    flags, problems, scanned = tamper.scan_course(
        course.root, aids, args.student or None,
        source_dir=course.source.name, submitted_dir=course.submitted.name)
    for flag in flags:
        print(flag.tsv() if args.tsv else str(flag))
    for student, label, text in problems:
        print(f"  not scanned: {student} {label}: {text}", file=sys.stderr)
    students = sorted({f.student for f in flags})
    print(f"scan summary: {count(scanned, 'submission')} read, {count(len(flags), 'flag')} "
          f"on {count(len(students), 'student')}{names(students)}; "
          f"{len(problems)} notebooks missing or unreadable; grades are not changed",
          file=sys.stderr if args.tsv else sys.stdout)
    if not scanned:
        return FAILED
    return status(args.strict and flags)
