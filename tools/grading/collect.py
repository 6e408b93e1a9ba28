"""collect: nbgrader zip_collect <id> from an LMS download in downloaded/<id>/archive/,
or nbgrader collect <id> from the exchange (--exchange)."""
import re
import time

from .report import FAILED, count, duration, nbgrader_failure, rel, status

# zip_collect file-name patterns (nbgrader matches them against the full path of every
# extracted file; they must name the groups student_id and file_id). {aid} stands for
# the assignment id. The Canvas and Moodle layouts are those of their "download all
# submissions" archives; check one download and pass --regexp if yours differ.
LMS_PATTERNS = {
    # .../<student>_<aid>.ipynb or .../<student>/<aid>.ipynb; a copy suffix such as
    # " (1)" or "-2" that browsers and LMSs add is allowed
    "plain": r".*/(?P<student_id>[^/]+?)[_/](?P<file_id>{aid})(?:[ _-]?\(?\d+\)?)?\.ipynb$",
    # <name>_[LATE_]<user id>_<submission id>_<aid>[-N].ipynb; the student id is the user id
    "canvas": r".*/[^/]*?_(?:LATE_)?(?P<student_id>\d+)_\d+_(?P<file_id>{aid})(?:-\d+)?\.ipynb$",
    # <Full Name>_<participant id>_assignsubmission_file_/<aid>.ipynb
    "moodle": r".*/[^/]*_(?P<student_id>\d+)_assignsubmission_file_?/(?:.*/)?(?P<file_id>{aid})\.ipynb$",
}

_SKIPPED = re.compile(r"Skipped submission with no match|Skipped notebook with invalid name")


def lms_pattern(lms, aid, regexp=None):
    """The named_regexp for one assignment."""
    return (regexp or LMS_PATTERNS[lms]).replace("{aid}", re.escape(aid))


def cmd_collect(course, args):
    aids = course.pick_assignments(args.assignment)
    start = time.perf_counter()
    before = {aid: set(course.handed_in(course.submitted, aid)) for aid in aids}
    done, failed, skipped_total = [], [], 0
    for aid in aids:
        if args.exchange:
            code, out = course.run("collect", aid, "--update")
        else:
            archive = course.downloaded / aid / "archive"
            if not archive.is_dir() or not any(archive.iterdir()):
                print(f"  nothing to collect for {aid}: {rel(archive, course.root)}/ is empty or missing")
                continue
            code, out = course.run("zip_collect", aid, "--force",
                                   f"--FileNameCollectorPlugin.named_regexp={lms_pattern(args.lms, aid, args.regexp)}")
        skipped = len(_SKIPPED.findall(out))
        skipped_total += skipped
        now = set(course.handed_in(course.submitted, aid))
        if code != 0:
            failed.append(aid)
            print(nbgrader_failure(aid, code, out))
        else:
            done.append(aid)
            print(f"  {aid}: {count(len(now), 'student')} in submitted/ ({len(now - before[aid])} new)"
                  + (f", {count(skipped, 'file')} skipped (name did not match)" if skipped else ""))
    students = set().union(*(course.handed_in(course.submitted, aid) for aid in aids))
    print(f"collect: {count(len(done), 'assignment')} collected, {count(len(students), 'student')} "
          f"with submissions, {count(skipped_total, 'file')} skipped, failures: {len(failed)}; "
          f"{duration(time.perf_counter() - start)}")
    if not done and not failed:
        print("collect: nothing to collect")
        return FAILED
    return status(failed)
