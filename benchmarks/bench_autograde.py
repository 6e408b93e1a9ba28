"""Autograde throughput: how long does a class take to grade?

    python benchmarks/bench_autograde.py [--students 20] [--jobs 2] [--via-make]
                                         [--postgres | --db-url URL]

Builds a scratch course in a temporary folder (the repository's solutions/ and
nbgrader_config.py, a throwaway gradebook and HOME), releases it, and hands in all
six assignments for N synthetic students: half answer everything (the reference
answers), three in ten answer every other exercise, and the rest hand in the release
untouched. Then it grades them exactly as ``make autograde`` does (the same
``python -m tools.grading autograde`` command; ``--via-make`` runs make itself) and
prints seconds per student (all six notebooks), per notebook, and the projected time
for a class of 200. The target is 200 students in 30 minutes on a 2-core machine,
i.e. at most 9 s per student.

The gradebook is a throwaway SQLite file, where `make autograde` runs one job
whatever --jobs says (SQLite takes one writer at a time). --postgres starts a
throwaway PostgreSQL cluster instead (Debian's postgresql, as tests/hubutil.py does
for the tests; as root it runs as the postgres user), the setup of the shared
server (docs/deploy.md), where --jobs parallel runs apply; --db-url grades into a
database of your own.

Not a test: run it on a quiet machine, since every other process competes for the
same cores. The grading is checked too: full answers must score full marks and
untouched releases zero.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
TARGET_PER_STUDENT = 9.0
CLASS_SIZE = 200
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def nbg(cell):
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def answered(release, solution, every=1):
    """The release with the reference answer in every `every`-th answer cell."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    answers = {nbg(c)["grade_id"]: c.source for c in solution.cells if nbg(c).get("solution")}
    k = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and nbg(cell).get("solution"):
            if k % every == 0:
                cell.source = "\n".join(ln for ln in answers[nbg(cell)["grade_id"]].split("\n")
                                        if ln.strip() not in MARKERS)
            k += 1
    return nb


def kind_of(i):
    """full, partial or empty for student i: 5 in 10, 3 in 10, 2 in 10."""
    return ("full", "full", "partial", "full", "empty", "partial", "full", "partial", "full", "empty")[i % 10]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", "-n", type=int, default=20)
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--via-make", action="store_true", help="run `make autograde` instead of the tool")
    parser.add_argument("--keep", action="store_true", help="keep the scratch course and print its path")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true",
                       help="grade into a throwaway PostgreSQL cluster (needs Debian's postgresql)")
    where.add_argument("--db-url", help="grade into this (empty) gradebook database")
    args = parser.parse_args(argv)

    cluster = None
    if args.postgres:
        sys.path.insert(0, str(REPO / "tests"))
        from hubutil import PostgresCluster

        cluster = PostgresCluster()
    try:
        if cluster is not None:
            cluster.start()  # inside the try: a start that fails half-way is cleaned up too
            print(f"throwaway PostgreSQL cluster on 127.0.0.1:{cluster.port}")
        elif args.db_url:
            refuse_a_used_gradebook(args.db_url)
        return bench(args, cluster.url if cluster else args.db_url)
    finally:
        if cluster is not None:
            left = cluster.stop()
            if left:
                print(f"PostgreSQL processes still running: {left}")


def refuse_a_used_gradebook(db_url):
    """The benchmark releases six assignments and adds 'student000'...: never into a
    gradebook that already holds a course."""
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        if gb.students or gb.assignments:
            sys.exit(f"--db-url: that gradebook already has {len(gb.students)} students and "
                     f"{len(gb.assignments)} assignments; give the benchmark an empty database")


def bench(args, db_url=None):
    work = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    root, home = work / "course", work / "home"
    home.mkdir(parents=True)
    shutil.copytree(REPO / "solutions", root / "solutions",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    shutil.copy2(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    db_url = db_url or f"sqlite:///{work / 'gradebook.db'}"
    shown_url = re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", db_url)  # no password in the output
    print(f"gradebook: {shown_url}")

    def shown(cmd):
        return " ".join(map(str, cmd)).replace(db_url, shown_url)
    env = dict(os.environ, HOME=str(home), COURSE_ROOT=str(root),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    tool = [sys.executable, "-m", "tools.grading", "--root", str(root), "--db-url", db_url]

    def run(cmd):
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"$ {shown(cmd)}\n{proc.stdout}\n{proc.stderr}".replace(db_url, shown_url))
        return proc

    try:
        start = time.perf_counter()
        run([*tool, "release"])
        print(f"released the six assignments in {time.perf_counter() - start:.1f} s (not counted)")
        aids = sorted(p.name for p in (root / "solutions").iterdir() if p.is_dir())
        kinds = {}
        for aid in aids:
            release = nbformat.read(root / "notebooks" / aid / f"{aid}.ipynb", as_version=4)
            solution = nbformat.read(root / "solutions" / aid / f"{aid}.ipynb", as_version=4)
            versions = {"full": answered(release, solution), "partial": answered(release, solution, 2),
                        "empty": release}
            for i in range(args.students):
                student = f"student{i:03d}"
                kinds[student] = kind_of(i)
                folder = root / "submitted" / student / aid
                folder.mkdir(parents=True)
                nbformat.write(versions[kinds[student]], folder / f"{aid}.ipynb")
        counts = {k: list(kinds.values()).count(k) for k in ("full", "partial", "empty")}
        print(f"{args.students} students x {len(aids)} assignments = {args.students * len(aids)} notebooks "
              f"({counts['full']} full, {counts['partial']} partial, {counts['empty']} empty)")

        summary_path = work / "summary.json"
        load_before = os.getloadavg()
        if args.via_make:
            cmd = ["make", "--no-print-directory", "-C", str(REPO), "autograde", f"JOBS={args.jobs}",
                   f"DB_URL={db_url}"]
        else:
            cmd = [*tool, "--jobs", str(args.jobs), "autograde", "--json", str(summary_path)]
        print("$ " + shown(cmd))
        start = time.perf_counter()
        proc = run(cmd)
        seconds = time.perf_counter() - start
        load_after = os.getloadavg()
        if args.via_make:
            summary_path = root / "autograded" / ".logs" / "summary.json"
        summary = json.loads(summary_path.read_text())
        print(proc.stdout.strip().splitlines()[-1])

        wrong = [o for o in summary["outcomes"] if (
            kinds[o["student"]] == "full" and o["score"] != o["max_score"]) or (
            kinds[o["student"]] == "empty" and o["score"] != 0) or o["status"] != "graded"]
        per_student = seconds / args.students
        jobs = summary["jobs"]  # what the tool ran: one on SQLite, whatever --jobs said
        print(f"\nautograde with {jobs} job{'s' if jobs != 1 else ''}: {seconds:.1f} s for "
              f"{args.students} students")
        print(f"  {per_student:.2f} s per student (six notebooks), "
              f"{seconds / (args.students * len(aids)):.2f} s per notebook")
        projected = per_student * CLASS_SIZE
        print(f"  projected for {CLASS_SIZE} students: {projected / 60:.1f} min "
              f"(target {TARGET_PER_STUDENT * CLASS_SIZE / 60:.0f} min, {TARGET_PER_STUDENT:.0f} s per student): "
              f"{'met' if per_student <= TARGET_PER_STUDENT else 'NOT met'}")
        print(f"  load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} "
              f"({os.cpu_count()} CPUs)")
        if wrong:
            print(f"  GRADING PROBLEMS in {len(wrong)} submissions, e.g. {wrong[0]}")
            return 1
        print("  grading checked: full answers got full marks, untouched releases 0, no failures")
        return 0
    finally:
        if args.keep:
            print(f"scratch course kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
