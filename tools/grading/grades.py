"""grades: nbgrader export to a CSV, plus a one-row-per-student CSV for an LMS."""
import csv
from pathlib import Path

from .report import DONE, FAILED, nbgrader_failure, rel

_PERSON = ["student_id", "last_name", "first_name", "email"]


def cmd_grades(course, args):
    out = Path(args.output or course.root / "grades.csv").resolve()
    code, text = course.run("export", f"--to={out}")
    if code != 0 or not out.is_file():
        print(nbgrader_failure("export", code, text))
        return FAILED
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        print(f"grades: the gradebook holds no grades yet ({rel(out, course.root)} has its header only)")
        return FAILED
    wide = out.with_name(out.stem + "_by_student.csv")
    assignments = sorted({r["assignment"] for r in rows})
    table = _by_student(rows)
    with open(wide, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, [*_PERSON, *assignments, "total", "max_total"])
        writer.writeheader()
        for sid in sorted(table):
            writer.writerow(table[sid])
    print(f"  {rel(out, course.root)}: nbgrader's export, one row per student and assignment")
    print(f"  {rel(wide, course.root)}: one row per student, one column per assignment, for an LMS")
    with course.gradebook() as gb:
        handed_in = {a.name: len(a.submissions) for a in gb.assignments}
    for aid in assignments:
        scores = [float(r["score"] or 0) for r in rows if r["assignment"] == aid]
        best = max((float(r["max_score"] or 0) for r in rows if r["assignment"] == aid), default=0)
        print(f"  {aid}: {handed_in.get(aid, 0)} submissions, mean {sum(scores) / len(scores):.1f} "
              f"of {_number(best)} points over all {len(scores)} students")
    print(f"grades summary: {len(table)} students, {len(assignments)} assignments, {len(rows)} rows")
    return DONE


def _by_student(rows):
    """{student id: the row of the wide CSV}: one score column per assignment, and totals."""
    table = {}
    for r in rows:
        entry = table.setdefault(r["student_id"], dict(
            {key: r.get(key, "") for key in _PERSON}, total=0.0, max_total=0.0))
        score = float(r["score"] or 0)
        entry[r["assignment"]] = _number(score)
        entry["total"] += score
        entry["max_total"] += float(r["max_score"] or 0)
    for entry in table.values():
        entry["total"], entry["max_total"] = _number(entry["total"]), _number(entry["max_total"])
    return table


def _number(x):
    return int(x) if float(x).is_integer() else round(float(x), 2)
