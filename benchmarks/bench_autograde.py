"""Autograde throughput, sandboxed and unsandboxed side by side: what does a class cost
to grade, and what does the grading sandbox add?

    python benchmarks/bench_autograde.py [--students 20] [--jobs 2] [--repeat 1] [--via-make]
                                         [--postgres | --db-url-file FILE | --db-url URL] [--keep]

Builds a scratch course in a temporary folder (the repository's solutions/ and
nbgrader_config.py, a throwaway gradebook and HOME), releases it, and hands in all
six assignments for N synthetic learners: half answer everything (the reference
answers), three in ten answer every other exercise, and the rest hand in the release
untouched. Then it grades that class exactly as ``make autograde`` does (the same
``python -m tools.grading autograde`` command; ``--via-make`` runs make itself), once
with every kernel in the bubblewrap sandbox and once with ``--no-sandbox``, same class,
same gradebook kind, same jobs. ``--repeat N`` grades it N times each way, the order
alternating (sandboxed first, then unsandboxed first, ...) so that a machine that gets
faster or slower during the run does not favour one side.

What keeps the two sides comparable:

- every grading starts without autograded/, i.e. as a full re-grade (tools.grading
  passes --force), and without the per-assignment timings a previous grading would have
  left there, which reorder the jobs (each grading's autograded/ is moved aside to
  autograded-<n>-<mode>/ in the scratch folder);
- every grading gets a fresh copy of the gradebook as it stood after the release (a
  copy of the SQLite file; with --postgres, a database made from the released one as
  template), so none of them updates rows another one wrote. A gradebook of your own
  (--db-url-file, --db-url) cannot be copied: every grading then uses it, the first one
  adding the submissions and the later ones replacing them; use --repeat 2 or more there;
- matplotlib's font list, which either kind of kernel builds on its first start in a
  fresh HOME, is built before the first timed grading for both.

The time of a grading is the wall time of the whole autograde command: nbgrader's
start-ups, the gradebook preparation, the kernels, the tamper scan. For each mode it
prints the seconds (mean over the repetitions), seconds per learner (six notebooks),
the sandbox's overhead against unsandboxed, and the projection for a class of 200
learners at that rate, with the targets beside them: the sandbox adds at most 10 % to
the grading time, and 200 learners x 6 notebooks take at most 30 minutes on a 2-core
machine, i.e. at most 9 s per learner. Nothing asserts a time. With a small class the
fixed costs (nbgrader start-up, the scan) weigh more per learner than they do for 200.

The gradebook is a throwaway SQLite file, where `make autograde` runs one job
whatever --jobs says (SQLite takes one writer at a time). --postgres starts a
throwaway PostgreSQL cluster instead (Debian's postgresql, as tests/hubutil.py does
for the tests; as root it runs as the postgres user), the setup of the shared
server (docs/deploy.md), where --jobs parallel runs apply. --db-url-file names a file
holding the URL of an empty database of your own; --db-url gives that URL on this
command line, where other processes can read it. The URL reaches tools.grading only in
its environment (NBGRADER_DB_URL), never on its command line, and no password is
printed. A NBGRADER_DB_URL or NBGRADER_DB_URL_FILE of your shell is ignored, so the
benchmark never grades into your course's gradebook.

Not a test: run it on a quiet machine, since every other process competes for the
same cores; the load average before and after is printed to show whether it was. The
grading is checked too: full answers must score full marks, untouched releases zero,
and both modes the same score for every learner and assignment. Exit status 1 when
any of that fails (a grading bug, not a matter of timing), 2 when the sandboxed side
cannot run here (no bubblewrap). After a failure the scratch folder is kept (as with
--keep) so that every grading's logs and graded notebooks can be read.
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
TARGET_OVERHEAD = 10.0  # percent of the unsandboxed grading time
TARGET_CORES = 2
CLASS_SIZE = 200
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
SANDBOXED, UNSANDBOXED = "sandboxed", "unsandboxed"
# Variables of the caller's shell that would send tools.grading or make to another
# gradebook or change what `make autograde` runs.
FOREIGN_SETTINGS = ("NBGRADER_DB_URL", "NBGRADER_DB_URL_FILE", "DB_URL", "DB_URL_FILE", "SANDBOX",
                    "JOBS", "TIMEOUT", "FIGURES", "ASSIGNMENTS", "STUDENTS")
_PASSWORD = re.compile(r"://([^:/@]*):([^@]*)@")


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


def count(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def masked(url):
    return _PASSWORD.sub(r"://\1:***@", url)


class Secrets:
    """Passwords that must not reach the output, whatever text they turn up in."""

    def __init__(self):
        self.words = set()

    def add_url(self, url):
        m = _PASSWORD.search(url or "")
        if m and m.group(2):
            self.words.add(m.group(2))

    def scrub(self, text):
        for word in sorted(self.words, key=len, reverse=True):
            text = text.replace(word, "***")
        return text


class Gradebooks:
    """The released gradebook and, for each grading, the one it grades into."""

    def __init__(self, template_url, backend, fresh, describe, cluster=None):
        self.template_url = template_url
        self.backend = backend
        self.fresh = fresh          # a copy of the released gradebook per grading
        self.describe = describe
        self.cluster = cluster

    def for_grading(self, number):
        if not self.fresh:
            return self.template_url
        if self.cluster is None:
            source = Path(self.template_url[len("sqlite:///"):])
            copy = source.with_name(f"{source.stem}-{number}{source.suffix}")
            shutil.copy2(source, copy)
            return f"sqlite:///{copy}"
        return self._copy_database(f"{self.cluster.database}_{number}")

    def _copy_database(self, name):
        """CREATE DATABASE ... TEMPLATE needs a superuser (or CREATEDB), which the
        gradebook role is not: the cluster's own superuser makes the copy."""
        from sqlalchemy import create_engine, text

        admin = (f"postgresql://postgres:{self.cluster.superuser_password}@127.0.0.1:"
                 f"{self.cluster.port}/postgres")
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.cluster.database}" '
                                  f'OWNER "{self.cluster.role}"'))
        finally:
            engine.dispose()
        return self.cluster.url.rsplit("/", 1)[0] + "/" + name


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", "-n", type=int, default=20, help="learners in the synthetic class")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                        help="JOBS for both modes (default: CPU count; SQLite grades with one)")
    parser.add_argument("--repeat", "-r", type=int, default=1,
                        help="grade the class this many times each way, alternating which goes first")
    parser.add_argument("--via-make", action="store_true", help="run `make autograde` instead of the tool")
    parser.add_argument("--keep", action="store_true", help="keep the scratch course and print its path")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true",
                       help="grade into a throwaway PostgreSQL cluster (needs Debian's postgresql)")
    where.add_argument("--db-url-file",
                       help="file holding the URL of an (empty) gradebook database to grade into")
    where.add_argument("--db-url", help="grade into this (empty) gradebook database; the URL is then "
                                        "readable on this command line, --db-url-file keeps it off")
    args = parser.parse_args(argv)
    if args.students < 1 or args.repeat < 1 or args.jobs < 1:
        parser.error("--students, --repeat and --jobs must be at least 1")

    bwrap = shutil.which("bwrap")
    if not bwrap:
        print("bubblewrap (bwrap) is not installed, so the sandboxed side cannot run here; "
              "install it (Debian/Ubuntu: apt-get install bubblewrap)")
        return 2
    version = subprocess.run([bwrap, "--version"], capture_output=True, text=True).stdout.strip()

    secrets = Secrets()
    db_url = args.db_url
    if args.db_url_file:
        try:
            text = Path(args.db_url_file).read_text(encoding="utf-8")
        except OSError as exc:
            sys.exit(f"--db-url-file: cannot read {args.db_url_file}: {exc.strerror}")
        db_url = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        if not db_url:
            sys.exit(f"--db-url-file: {args.db_url_file} is empty")
    secrets.add_url(db_url)

    cluster = None
    if args.postgres:
        from tools.postgres import PostgresCluster

        cluster = PostgresCluster()
        secrets.words.update({cluster.password, cluster.superuser_password})
    try:
        if cluster is not None:
            cluster.start()  # inside the try: a start that fails half-way is cleaned up too
            print(f"throwaway PostgreSQL cluster on 127.0.0.1:{cluster.port}")
        elif db_url:
            refuse_a_used_gradebook(db_url, secrets)
        return bench(args, cluster, db_url, version or "bubblewrap (version unknown)", secrets)
    finally:
        if cluster is not None:
            left = cluster.stop()
            if left:
                print(f"PostgreSQL processes still running: {left}")


def refuse_a_used_gradebook(db_url, secrets):
    """The benchmark releases six assignments and adds 'student000'...: never into a
    gradebook that already holds a course."""
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    from nbgrader.api import Gradebook

    try:
        with Gradebook(db_url) as gb:
            used = (len(gb.students), len(gb.assignments))
    except Exception as exc:  # a wrong URL or password: say why, without echoing the password
        sys.exit(secrets.scrub(f"cannot open the gradebook {masked(db_url)}: {exc}"))
    if any(used):
        sys.exit(f"that gradebook already has {used[0]} students and {used[1]} assignments; "
                 "give the benchmark an empty database")


def modes_in_order(repeat):
    """S U, U S, S U, ...: each mode goes first in half of the repetitions."""
    order = []
    for r in range(repeat):
        pair = [SANDBOXED, UNSANDBOXED]
        order += pair if r % 2 == 0 else pair[::-1]
    return order


def bench(args, cluster, own_url, bwrap_version, secrets):
    status = None  # stays None when the run stops early: the scratch course is then kept
    work = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    root, home = work / "course", work / "home"
    home.mkdir(parents=True)
    shutil.copytree(REPO / "solutions", root / "solutions",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    shutil.copy2(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    if cluster is not None:
        books = Gradebooks(cluster.url, "postgresql", True,
                           "PostgreSQL (throwaway cluster), a fresh copy of the released gradebook "
                           "for every grading", cluster=cluster)
    elif own_url:
        backend = own_url.split(":", 1)[0].split("+", 1)[0].lower()
        books = Gradebooks(own_url, backend, False,
                           f"{backend} (your database {masked(own_url)}), the same for every grading: "
                           "the first adds the submissions, later ones replace them")
    else:
        books = Gradebooks(f"sqlite:///{work / 'gradebook.db'}", "sqlite", True,
                           "SQLite (throwaway file), a fresh copy of the released gradebook "
                           "for every grading")
    print(f"gradebook: {books.describe}")

    base_env = {k: v for k, v in os.environ.items() if k not in FOREIGN_SETTINGS}
    base_env.update(HOME=str(home), COURSE_ROOT=str(root),
                    PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    tool = [sys.executable, "-m", "tools.grading", "--root", str(root)]

    def run(cmd, url, graded=None):
        """Run a tool command; stop the benchmark when it failed. An autograde that left its
        summary (`graded`) goes on: it exits 1 when a submission failed (make: 2), which
        the report counts among the grading problems."""
        env = dict(base_env, NBGRADER_DB_URL=url)
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        if proc.returncode != 0 and not (graded is not None and graded.is_file()):
            sys.exit(secrets.scrub(f"$ {' '.join(map(str, cmd))}\n{proc.stdout}\n{proc.stderr}"))
        return proc

    try:
        start = time.perf_counter()
        run([*tool, "release"], books.template_url)
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
        print(f"{count(args.students, 'learner')} x {len(aids)} assignments = "
              f"{args.students * len(aids)} notebooks "
              f"({counts['full']} full, {counts['partial']} partial, {counts['empty']} empty)")

        start = time.perf_counter()
        warm_caches(base_env)
        print(f"built matplotlib's font list for both kinds of kernel in "
              f"{time.perf_counter() - start:.1f} s (not counted)")
        print(f"{bwrap_version}; {os.cpu_count()} CPUs; --jobs {args.jobs}; "
              f"{args.repeat} grading{'s' if args.repeat != 1 else ''} each way, order "
              f"{' '.join('S' if m == SANDBOXED else 'U' for m in modes_in_order(args.repeat))}")

        load_before = os.getloadavg()
        runs = []
        order = modes_in_order(args.repeat)
        for number, mode in enumerate(order, 1):
            try:
                url = books.for_grading(number)
            except Exception as exc:  # the admin URL holds the cluster's superuser password
                sys.exit(secrets.scrub(f"could not make the gradebook for grading {number}: {exc}"))
            sandbox_flag = [] if mode == SANDBOXED else ["--no-sandbox"]
            if args.via_make:
                cmd = ["make", "--no-print-directory", "-C", str(REPO), "autograde", f"JOBS={args.jobs}",
                       *([] if mode == SANDBOXED else ["SANDBOX=off"])]
                summary_path = root / "autograded" / ".logs" / "summary.json"
            else:
                summary_path = work / f"summary-{number}.json"
                cmd = [*tool, "--jobs", str(args.jobs), *sandbox_flag, "autograde",
                       "--json", str(summary_path)]
            print(f"\n[{number}/{len(order)}] {mode}: NBGRADER_DB_URL={masked(url)} "
                  f"{' '.join(map(str, cmd))}")
            load = os.getloadavg()[0]
            start = time.perf_counter()
            proc = run(cmd, url, graded=summary_path)
            seconds = time.perf_counter() - start
            summary = json.loads(summary_path.read_text())
            print("  " + secrets.scrub(proc.stdout.strip().splitlines()[-1]))
            print(f"  {seconds:.1f} s (load average {load:.2f} before)")
            if summary.get("sandbox") is not None and summary["sandbox"] != (mode == SANDBOXED):
                print(f"  the summary says sandbox={summary['sandbox']}, not {mode}: "
                      "the tool ignored the switch")
                status = 1
                return status
            # Moved aside rather than deleted: the next grading starts from no autograded/,
            # and a wrong score can still be traced in this one's logs and notebooks.
            (root / "autograded").rename(work / f"autograded-{number}-{mode}")
            runs.append({"mode": mode, "seconds": seconds, "summary": summary})
        load_after = os.getloadavg()
        status = report(args, aids, kinds, runs, books, bwrap_version, load_before, load_after)
        return status
    finally:
        if args.keep or status != 0:
            print(f"scratch course kept in {work} (each grading's autograded/ and logs in "
                  "autograded-<n>-<mode>/)")
        else:
            shutil.rmtree(work, ignore_errors=True)


def warm_caches(env):
    """Build the font list a kernel in this HOME finds: matplotlib's own cache for
    unsandboxed kernels, and the copy tools/sandbox/kernel.py binds into every sandbox.
    Otherwise the first grading of each mode pays seconds for it that no later one does."""
    code = ("import sys, matplotlib.font_manager\n"
            "from tools.sandbox.kernel import _font_cache\n"
            "sys.exit(0 if _font_cache(sys.executable) else 'no font list built')\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"note: the font lists were not built beforehand ({proc.stderr.strip()[-300:]}); "
              "the first grading of each mode builds them")


def scores_of(summary):
    return {(o["student"], o["assignment"]): (o["score"], o["max_score"], o["status"])
            for o in summary["outcomes"]}


def shown_score(entry):
    if entry is None:
        return "not graded"
    score, max_score, state = entry
    points = "no score" if score is None else f"{score:g}/{max_score:g}"
    return points + ("" if state == "graded" else f" ({state})")


def report(args, aids, kinds, runs, books, bwrap_version, load_before, load_after):
    n = args.students
    jobs = sorted({r["summary"]["jobs"] for r in runs})  # what the tool ran: one on SQLite
    jobs_text = "/".join(map(str, jobs))
    mean = {}
    for mode in (SANDBOXED, UNSANDBOXED):
        times = [r["seconds"] for r in runs if r["mode"] == mode]
        mean[mode] = (sum(times) / len(times), times)
    overhead = (mean[SANDBOXED][0] / mean[UNSANDBOXED][0] - 1) * 100

    print(f"\nresults: {count(n, 'learner')} x {len(aids)} notebooks, "
          f"{jobs_text} job{'s' if jobs != [1] else ''} "
          f"(asked {args.jobs}), {books.backend} gradebook, {bwrap_version}, {os.cpu_count()} CPUs")
    print(f"  {'mode':<12} {'seconds':>8} {'s/learner':>10} {'overhead':>9} "
          f"{f'{CLASS_SIZE} learners':>13}   each grading (s)")
    for mode in (SANDBOXED, UNSANDBOXED):
        seconds, times = mean[mode]
        per = seconds / n
        extra = f"{overhead:+.1f} %" if mode == SANDBOXED else "base"
        print(f"  {mode:<12} {seconds:>8.1f} {per:>10.2f} {extra:>9} {per * CLASS_SIZE / 60:>9.1f} min   "
              f"{', '.join(f'{t:.1f}' for t in times)}")
    pace = "; ".join(f"{mode} {'met' if mean[mode][0] / n <= TARGET_PER_STUDENT else 'NOT met'} "
                     f"({mean[mode][0] / n:.2f} s)" for mode in (SANDBOXED, UNSANDBOXED))
    print(f"  target: the sandbox adds at most {TARGET_OVERHEAD:.0f} %: "
          f"{'met' if overhead <= TARGET_OVERHEAD else 'NOT met'} ({overhead:+.1f} %)")
    print(f"  target: {CLASS_SIZE} learners x {len(aids)} notebooks in at most "
          f"{TARGET_PER_STUDENT * CLASS_SIZE / 60:.0f} min on {TARGET_CORES} cores, "
          f"<= {TARGET_PER_STUDENT:.0f} s per learner: {pace}")
    if os.cpu_count() != TARGET_CORES:
        print(f"  (this machine has {os.cpu_count()} CPUs, the pace target is for {TARGET_CORES})")
    if n < 10:
        print(f"  (with {count(n, 'learner')} the fixed costs of each grading, nbgrader start-ups "
              "and the scan, weigh more per learner than in a full class)")
    print("  load average (1/5/15 min): " + " ".join(f"{x:.2f}" for x in load_before) + " before, "
          + " ".join(f"{x:.2f}" for x in load_after) + " after")

    status = 0
    reference = scores_of(runs[0]["summary"])
    differing = {}
    for number, r in enumerate(runs[1:], 2):
        other = scores_of(r["summary"])
        for key in sorted(set(reference) | set(other)):
            if reference.get(key) != other.get(key):
                differing.setdefault(key[0], []).append(
                    f"{key[1]}: grading 1 ({runs[0]['mode']}) {shown_score(reference.get(key))}, "
                    f"grading {number} ({r['mode']}) {shown_score(other.get(key))}")
    if differing:
        print(f"  SCORES DIFFER between the gradings for {len(differing)} of {count(n, 'learner')} "
              "(a grading bug, not a timing matter):")
        for student, lines in sorted(differing.items()):
            for line in lines[:4]:
                print(f"    {student} {line}")
            if len(lines) > 4:
                print(f"    {student} ... and {len(lines) - 4} more")
        status = 1
    else:
        print(f"  scores: the same in both modes for every learner ({count(n, 'learner')}, "
              f"{len(reference)} submissions, {len(runs)} gradings)")

    wrong = [(number, r["mode"], o) for number, r in enumerate(runs, 1) for o in r["summary"]["outcomes"] if (
        kinds[o["student"]] == "full" and o["score"] != o["max_score"]) or (
        kinds[o["student"]] == "empty" and o["score"] != 0) or o["status"] != "graded"]
    if wrong:
        where = sorted({f"grading {number} ({mode})" for number, mode, _ in wrong})
        o = wrong[0][2]
        detail = "; ".join(filter(None, [o.get("reason"), *o.get("notes", [])]))
        print(f"  GRADING PROBLEMS in {count(len(wrong), 'submission')} of {', '.join(where)}, e.g. "
              f"{o['student']} ({kinds[o['student']]} answers) {o['assignment']}: "
              f"{shown_score((o['score'], o['max_score'], o['status']))}"
              + (f" ({detail})" if detail else ""))
        status = 1
    else:
        print("  grading checked: full answers got full marks, untouched releases 0, no failures")
    return status


if __name__ == "__main__":
    sys.exit(main())
