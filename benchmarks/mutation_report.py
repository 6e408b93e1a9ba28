"""How well do the graded tests judge? Kill rate, false-rejection rate, naming rate.

Grades every case of ``tests/course/mutants/cases/`` the way ``nbgrader autograde`` does
(see ``tools/mutation.py``) and prints, per assignment and in total:

* kill rate: wrong implementations (mutants) that lose points for their exercise
  (target 100 %);
* false-rejection rate: right-but-different implementations (variants) that lose
  points (target 0 %);
* naming rate: mutants whose failure message contains the words that name their
  mistake (target at least 80 %).

Usage::

    python benchmarks/mutation_report.py            # summary and any misses
    python benchmarks/mutation_report.py --verbose  # one line per case

Exit status 1 when a target is missed.
"""
import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import mutation as H  # noqa: E402


def _percent(part, whole):
    return 100.0 * part / whole if whole else 0.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print one line per case")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    rows = defaultdict(lambda: {"mutants": 0, "killed": 0, "named": 0, "variants": 0, "rejected": 0})
    misses = []
    for case, result in H.grade_all():
        row = rows[case.aid]
        if case.kind == "mutant":
            killed = not result.full_marks
            named = H.names_its_mistake(case, result)
            row["mutants"] += 1
            row["killed"] += killed
            row["named"] += named
            status = "killed" if killed else "SURVIVED"
            status += ", named" if named else ", NOT NAMED"
            if not (killed and named):
                misses.append((case, status, result))
        else:
            rejected = not result.full_marks
            row["variants"] += 1
            row["rejected"] += rejected
            status = "REJECTED" if rejected else "full marks"
            if rejected:
                misses.append((case, status, result))
        if args.verbose:
            print(f"{case.name:<60} {result.score:>4g}/{result.max_score:<4g} {status:<22} {case.family}")
    seconds = time.perf_counter() - start

    total = {key: sum(r[key] for r in rows.values()) for key in
             ("mutants", "killed", "named", "variants", "rejected")}
    header = f"{'assignment':<18}{'mutants':>8}{'killed':>8}{'named':>8}{'variants':>10}{'rejected':>10}"
    print(header)
    print("-" * len(header))
    for aid in sorted(rows):
        r = rows[aid]
        print(f"{aid:<18}{r['mutants']:>8}{r['killed']:>8}{r['named']:>8}{r['variants']:>10}{r['rejected']:>10}")
    print("-" * len(header))
    print(f"{'total':<18}{total['mutants']:>8}{total['killed']:>8}{total['named']:>8}"
          f"{total['variants']:>10}{total['rejected']:>10}")
    kill = _percent(total["killed"], total["mutants"])
    false_rejection = _percent(total["rejected"], total["variants"])
    naming = _percent(total["named"], total["mutants"])
    print()
    print(f"kill rate:            {kill:6.1f} %  ({total['killed']} of {total['mutants']} mutants lose points; target 100 %)")
    print(f"false-rejection rate: {false_rejection:6.1f} %  ({total['rejected']} of {total['variants']} "
          "right variants lose points; target 0 %)")
    print(f"naming rate:          {naming:6.1f} %  ({total['named']} of {total['mutants']} mutants are told "
          "their mistake; target >= 80 %)")
    print(f"graded {total['mutants'] + total['variants']} cases in {seconds:.1f} s")
    for case, status, result in misses:
        print(f"\n{case.name}: {status} ({case.about})")
        for line in result.messages.splitlines()[:12]:
            print(f"    {line}")
    return 0 if kill == 100.0 and false_rejection == 0.0 and naming >= 80.0 else 1


if __name__ == "__main__":
    sys.exit(main())
