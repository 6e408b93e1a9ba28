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
    scan       the tamper scan of submitted/ (tools/tamper.py); never changes a grade
    sandbox-check   grade a probe submission in the sandbox and print what it could reach

Learner code runs only in autograde, and there every notebook's kernel starts in a
bubblewrap sandbox (tools/sandbox/): autograde refuses to run where the sandbox cannot
start, unless --no-sandbox says to grade without one.

The gradebook URL (a PostgreSQL URL holds a password) never stands on a command line,
where every process on the machine can read it: it comes from $NBGRADER_DB_URL, from a
file named by --db-url-file or $NBGRADER_DB_URL_FILE, or from nbgrader_config.py, and
reaches nbgrader in its environment, which the sandbox does not pass on to kernels.

Every command ends with a short summary. nbgrader does the work; this module picks
what to run, runs it as subprocesses with the course root as the working directory,
and reads the outcome back from the files nbgrader writes and from its gradebook.
`make release`, `make autograde` ... call these commands (see docs/instructor.md).
"""
import argparse
import atexit
import concurrent.futures
import csv
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python tools/grading.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tools import sandbox, tamper
else:
    from . import sandbox, tamper

REPO = Path(__file__).resolve().parents[1]

# Files a submission may carry that Python would import from the grading directory
# (it is the kernel's working directory, first on sys.path): autograde leaves them out.
# The first four are nbgrader's own defaults for CourseDirectory.ignore.
AUTOGRADE_IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                    "*.py", "*.pyo", "*.pyd", "*.so", "*.pth",
                    "sitecustomize*", "usercustomize*"]

# Lines of nbgrader's log: "[AutogradeApp | ERROR] text" (continuation lines follow).
_LOG_RECORD = re.compile(r"^\[(?P<app>\w+) \| (?P<level>[A-Z]+)\] ?(?P<text>.*)$")

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


def lms_pattern(lms, aid, regexp=None):
    """The named_regexp for one assignment."""
    return (regexp or LMS_PATTERNS[lms]).replace("{aid}", re.escape(aid))


# ---------------------------------------------------------------------------- course

@dataclass
class Course:
    root: Path
    db_url: str
    jobs: int
    timeout: int = None          # per-cell timeout override (seconds) for autograde
    env: dict = None
    config: object = None
    jobs_given: bool = False     # --jobs/JOBS was set, rather than the CPU-count default
    sandboxed: bool = True       # grading kernels start in the sandbox (False: --no-sandbox)
    _config_dir: str = None      # the nbgrader settings this tool adds (see _grading_config)

    @property
    def backend(self):
        """The gradebook's database: "sqlite", "postgresql", ... (SQLAlchemy URL scheme)."""
        return gradebook_backend(self.db_url)

    @classmethod
    def open(cls, root=None, db_url=None, jobs=None, timeout=None, db_url_file=None, sandboxed=True):
        root = Path(root or os.environ.get("COURSE_ROOT") or REPO).resolve()
        config = _load_config(root)
        db_url_file = db_url_file or os.environ.get("NBGRADER_DB_URL_FILE")
        if not db_url and db_url_file:
            db_url = _read_url_file(db_url_file)
        db_url = db_url or os.environ.get("NBGRADER_DB_URL") or _config_value(
            config, "CourseDirectory", "db_url") or f"sqlite:///{root / 'gradebook.db'}"
        jobs_given = bool(jobs)
        jobs = jobs or os.cpu_count() or 1
        env = dict(os.environ)
        # nbgrader starts `alembic` and kernels as subprocesses: this venv's bin/ first.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        os.environ["PATH"] = env["PATH"]  # for the gradebook this process opens itself
        return cls(root, _with_busy_timeout(db_url), max(1, int(jobs)), timeout, env, config, jobs_given,
                   sandboxed)

    # -- layout (nbgrader's defaults, overridable in nbgrader_config.py)
    def _dir(self, name, default):
        return self.root / (_config_value(self.config, "CourseDirectory", name) or default)

    @property
    def source(self):
        return self._dir("source_directory", "source")

    @property
    def release(self):
        return self._dir("release_directory", "release")

    @property
    def submitted(self):
        return self._dir("submitted_directory", "submitted")

    @property
    def autograded(self):
        return self._dir("autograded_directory", "autograded")

    @property
    def feedback(self):
        return self._dir("feedback_directory", "feedback")

    @property
    def downloaded(self):
        return self._dir("downloaded_directory", "downloaded")

    @property
    def course_id(self):
        return _config_value(self.config, "CourseDirectory", "course_id") or "default_course"

    def assignments(self):
        """Assignment ids: folders of the source directory that hold a notebook, sorted."""
        if not self.source.is_dir():
            return []
        return sorted(p.name for p in self.source.iterdir()
                      if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb")))

    def notebooks(self, aid):
        return sorted(p.name for p in (self.source / aid).glob("*.ipynb"))

    def students(self):
        if not self.submitted.is_dir():
            return []
        return sorted(p.name for p in self.submitted.iterdir() if p.is_dir() and not p.name.startswith("."))

    # -- running nbgrader
    def nbgrader_cmd(self, *args):
        return [sys.executable, "-m", "nbgrader", *map(str, args), f"--CourseDirectory.root={self.root}"]

    def nbgrader_env(self, extra_env=None):
        """nbgrader's environment: the gradebook URL and this tool's settings ride here."""
        if self._config_dir is None:
            self._config_dir = _grading_config(self.sandboxed)
        env = dict(self.env, **(extra_env or {}))
        env["NBGRADER_DB_URL"] = self.db_url
        env.pop("NBGRADER_DB_URL_FILE", None)
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            [self._config_dir] + [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p])
        return env

    def run(self, *args, log=None, proc_holder=None, extra_env=None):
        """Run nbgrader; returns (exit code, output text). Output also goes to `log`."""
        cmd = self.nbgrader_cmd(*args)
        env = self.nbgrader_env(extra_env)
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as out:
            proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            if proc_holder is not None:
                proc_holder.add(proc)
            try:
                code = proc.wait()
            finally:
                if proc_holder is not None:
                    proc_holder.discard(proc)
            out.seek(0)
            text = out.read()
        if log is not None:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text("$ " + " ".join(cmd) + "\n" + text, encoding="utf-8")
        return code, text

    def gradebook(self):
        from nbgrader.api import Gradebook
        return Gradebook(self.db_url, self.course_id)


# The settings every nbgrader run of this tool gets, in a folder of their own that goes
# first on JUPYTER_CONFIG_PATH. The course's nbgrader_config.py still applies on top.
_GRADING_CONFIG = """\
# Written by tools.grading for its nbgrader runs; deleted when it exits.
import os, sys
if {repo!r} not in sys.path:
    sys.path.insert(0, {repo!r})  # so that nbgrader finds tools.sandbox
c = get_config()  # noqa: F821
c.CourseDirectory.db_url = os.environ["NBGRADER_DB_URL"]
c.Execute.kernel_manager_class = {manager!r}
"""


def _grading_config(sandboxed):
    """A private folder with the nbgrader_config.py above; removed at exit."""
    folder = tempfile.mkdtemp(prefix="nnfs-grading-")
    manager = sandbox.SANDBOX_MANAGER if sandboxed else sandbox.UNSANDBOXED_MANAGER
    Path(folder, "nbgrader_config.py").write_text(
        _GRADING_CONFIG.format(repo=str(REPO), manager=manager), encoding="utf-8")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _read_url_file(path):
    """The gradebook URL from a file (its first non-empty line), which should be private."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SystemExit(f"cannot read the gradebook URL file {path}: {exc.strerror}")
    url = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if not url:
        raise SystemExit(f"the gradebook URL file {path} is empty")
    if os.name == "posix" and Path(path).stat().st_mode & 0o077:
        print(f"note: {path} can be read by other users; chmod 600 it, as it holds the gradebook "
              "password", file=sys.stderr)
    return url


def _load_config(root):
    path = Path(root) / "nbgrader_config.py"
    if not path.is_file():
        return None
    from traitlets.config.loader import PyFileConfigLoader
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def _config_value(config, section, key):
    if config is None or section not in config or key not in config[section]:
        return None
    return config[section][key]


def gradebook_backend(db_url):
    """"sqlite" for sqlite:///..., "postgresql" for postgresql+psycopg://..., and so on."""
    return db_url.split(":", 1)[0].split("+", 1)[0].lower()


def _with_busy_timeout(db_url):
    """For SQLite, wait up to 60 s for a lock instead of failing at once.

    Autograde runs one job on SQLite, but the formgrader, a grader's manual marks and
    parallel feedback runs may still open the file at the same time; the `timeout` query
    parameter (passed by SQLAlchemy to sqlite3.connect) makes each wait for the others.
    """
    if db_url.startswith("sqlite:") and "timeout=" not in db_url:
        return db_url + ("&" if "?" in db_url else "?") + "timeout=60"
    return db_url


def _count(n, word, plural=None):
    """'1 file', '2 files'."""
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _tail(text, lines=25):
    return "\n".join(text.strip().splitlines()[-lines:])


def _indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.splitlines())


def _duration(seconds):
    if seconds < 90:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {seconds % 60:02.0f} s"


class _Processes(set):
    """Running nbgrader processes, so that Ctrl-C can stop them and their kernels."""

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()

    def add(self, proc):
        with self.lock:
            super().add(proc)

    def discard(self, proc):
        with self.lock:
            super().discard(proc)

    def stop_all(self):
        with self.lock:
            procs = list(self)
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                pass


# ------------------------------------------------------------------------- release

def cmd_release(course, args):
    aids = _pick_assignments(course, args.assignment)
    start = time.perf_counter()
    released, failed = [], []
    for aid in aids:
        code, out = course.run("generate_assignment", aid, "--force")
        target = course.release / aid
        missing = [nb for nb in course.notebooks(aid) if not (target / nb).is_file()]
        if code == 0 and not missing:
            released.append(aid)
            print(f"  released {aid} -> {target.relative_to(course.root)}/")
        else:
            failed.append(aid)
            print(f"  FAILED   {aid} (nbgrader exit {code}):\n{_indent(_tail(out))}")
    print(f"release: {len(released)} of {len(aids)} assignments released in "
          f"{_duration(time.perf_counter() - start)}; failures: {len(failed)}"
          + (f" ({', '.join(failed)})" if failed else ""))
    return 1 if failed else 0


# ------------------------------------------------------------------------- collect

def cmd_collect(course, args):
    aids = _pick_assignments(course, args.assignment)
    start = time.perf_counter()
    before = {aid: _submitted_students(course, aid) for aid in aids}
    done, failed, skipped_total = [], [], 0
    for aid in aids:
        if args.exchange:
            code, out = course.run("collect", aid, "--update")
        else:
            archive = course.downloaded / aid / "archive"
            if not archive.is_dir() or not any(archive.iterdir()):
                print(f"  nothing to collect for {aid}: {archive.relative_to(course.root)}/ is empty or missing")
                continue
            regexp = lms_pattern(args.lms, aid, args.regexp)
            code, out = course.run("zip_collect", aid, "--force",
                                   f"--FileNameCollectorPlugin.named_regexp={regexp}")
        skipped = len(re.findall(r"Skipped submission with no match|Skipped notebook with invalid name", out))
        skipped_total += skipped
        now = _submitted_students(course, aid)
        if code != 0:
            failed.append(aid)
            print(f"  FAILED   {aid} (nbgrader exit {code}):\n{_indent(_tail(out))}")
        else:
            done.append(aid)
            print(f"  {aid}: {_count(len(now), 'student')} in submitted/ ({len(now - before[aid])} new)"
                  + (f", {_count(skipped, 'file')} skipped (name did not match)" if skipped else ""))
    students = set().union(*(_submitted_students(course, aid) for aid in aids)) if aids else set()
    print(f"collect: {_count(len(done), 'assignment')} collected, {_count(len(students), 'student')} "
          f"with submissions, {_count(skipped_total, 'file')} skipped, failures: {len(failed)}; "
          f"{_duration(time.perf_counter() - start)}")
    return 1 if failed else 0


def _submitted_students(course, aid):
    if not course.submitted.is_dir():
        return set()
    return {p.parent.name for p in course.submitted.glob(f"*/{aid}") if p.is_dir()}


# ------------------------------------------------------------------- job planning

@dataclass
class Job:
    aid: str
    students: list
    others: list                 # students of this assignment left to other jobs
    log: Path = None
    seconds: float = 0.0
    code: int = None


def _plan(pairs, jobs, weights):
    """Split (student, assignment) pairs into nbgrader runs, longest first.

    One run per assignment when running one job at a time; otherwise chunks of students,
    about four runs per worker so the workers finish together, and at least five
    notebooks per run so nbgrader's start-up (2-3 s) stays small against the work.
    """
    by_aid = {}
    for student, aid in pairs:
        by_aid.setdefault(aid, []).append(student)
    plan = []
    total = len(pairs)
    chunk = total if jobs == 1 else max(5, min(40, math.ceil(total / (4 * jobs))))
    for aid, students in by_aid.items():
        parts = max(1, math.ceil(len(students) / chunk))
        size = math.ceil(len(students) / parts)
        for i in range(parts):
            mine = students[i * size:(i + 1) * size]
            if mine:
                plan.append(Job(aid, mine, [s for s in students if s not in mine]))
    plan.sort(key=lambda j: len(j.students) * weights.get(j.aid, 1.0), reverse=True)
    return plan


def _run_jobs(course, plan, make_args, label, logdir, extra_env=None):
    """Run nbgrader jobs on `course.jobs` workers; prints one line per finished job."""
    procs = _Processes()
    done = [0]
    lock = threading.Lock()

    def work(index, job):
        job.log = logdir / f"{label}-{job.aid}-{index:03d}.log"
        start = time.perf_counter()
        job.code, _ = course.run(*make_args(job), log=job.log, proc_holder=procs, extra_env=extra_env)
        job.seconds = time.perf_counter() - start
        with lock:
            done[0] += 1
            print(f"  [{done[0]}/{len(plan)}] {label} {job.aid}: {len(job.students)} "
                  f"submission{'s' if len(job.students) != 1 else ''} in {_duration(job.seconds)}"
                  + ("" if job.code == 0 else f" (nbgrader exit {job.code})"), flush=True)
        return job

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=course.jobs)
    try:
        futures = [pool.submit(work, i, job) for i, job in enumerate(plan)]
        for future in concurrent.futures.as_completed(futures):
            future.result()
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the running nbgrader processes", file=sys.stderr)
        pool.shutdown(wait=False, cancel_futures=True)
        procs.stop_all()
        raise
    finally:
        pool.shutdown(wait=True)


def _exclude_args(job):
    if not job.others:
        return []
    return [f"--CourseDirectory.student_id_exclude={','.join(job.others)}"]


# ------------------------------------------------------------------------ autograde

@dataclass
class Outcome:
    student: str
    assignment: str
    status: str = "pending"      # graded | failed
    score: float = None
    max_score: float = None
    reason: str = ""
    notes: list = field(default_factory=list)


def _prepare_gradebook(course, aids, students):
    """Create the gradebook once, before parallel jobs, and add what autograde needs.

    Every submitting student is added (nbgrader would add them too, but only when their
    submission gets that far); an assignment that was never released on this machine is
    registered with generate_assignment into a temporary folder, leaving notebooks/ as is.
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
            raise SystemExit(f"could not record {aid} in the gradebook "
                             f"(nbgrader generate_assignment exit {code}):\n{_indent(_tail(out))}")
        registered.append(aid)
    return registered


def _precheck(course, student, aid):
    """Why a submission cannot be graded as handed in ('' when it looks fine)."""
    folder = course.submitted / student / aid
    problems = []
    for name in course.notebooks(aid):
        path = folder / name
        if not path.is_file():
            others = sorted(p.name for p in folder.glob("*.ipynb"))
            problems.append(f"no {name}" + (f" (found {', '.join(others)})" if others else ""))
            continue
        try:
            tamper.read_notebook(path)
        except ValueError as exc:
            problems.append(f"{name} is {exc}")
    return "; ".join(problems)


def _failures_in_log(text):
    """{(student, aid): reason} for the submissions an nbgrader log reports as failed."""
    records, current = [], None
    for line in text.splitlines():
        m = _LOG_RECORD.match(line)
        if m:
            current = [m["level"], m["text"]]
            records.append(current)
        elif current is not None:
            current[1] += "\n" + line
    found = {}
    for i, (level, body) in enumerate(records):
        if level not in ("ERROR", "CRITICAL"):
            continue
        m = re.search(r"There was an error processing assignment: (\S+)", body) or \
            re.search(r"While processing assignment (\S+), the kernel became unresponsive", body)
        if not m:
            continue
        path = Path(m.group(1))
        key = (path.parent.name, path.name)
        detail = body
        if "unresponsive" in body:
            reason = "the kernel stopped responding and could not be interrupted"
        else:
            following = records[i + 1][1] if i + 1 < len(records) else ""
            detail = following
            reason = _explain(following)
        found[key] = reason
    return found


def _explain(traceback_text):
    """A short reason for an nbgrader traceback."""
    lines = [ln.strip() for ln in traceback_text.strip().splitlines() if ln.strip()]
    last = lines[-1] if lines else "unknown error"
    text = traceback_text
    if "DeadKernelError" in text:
        return ("the kernel died while running the notebook (os._exit, exit(), a crash, or the "
                "sandbox's memory limit for all of its processes)")
    if "CellTimeoutError" in text and "IOPub" in text:
        return ("a cell hit the time limit and the kernel did not respond to the interrupt "
                "(an endless loop that swallows KeyboardInterrupt?)")
    if "CellTimeoutError" in text:
        return "a cell hit the time limit: " + last
    if "NotJSONError" in text or "JSONDecodeError" in text or "does not appear to be JSON" in text:
        return "the notebook file is not valid JSON"
    if "No notebooks found" in text:
        return "no notebook with the released name"
    if "ValidationError" in text:
        return "the notebook does not follow the notebook format: " + last[:200]
    return last[:300]


# Failures that say nothing about the notebook: a kernel that did not start (which
# happens before any learner code runs), or a gradebook that stayed locked.
_TRANSIENT = ("Kernel didn't respond in", "Kernel died before replying to kernel_info",
              "Kernel didn't respond to heartbeats", "database is locked")


def _transient(reason):
    return any(text in reason for text in _TRANSIENT)


def _cell_problems(path):
    """Notes about a graded notebook: cells that hit the time limit."""
    notes = []
    try:
        nb = tamper.read_notebook(path)
    except ValueError:
        return notes
    for index, cell in enumerate(nb.get("cells", [])):
        for out in cell.get("outputs", []) or []:
            if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
                gid = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
                notes.append(f"cell {index + 1}{f' ({gid})' if gid else ''} hit the time limit")
    return notes


def cmd_autograde(course, args):
    start = time.perf_counter()
    aids = _pick_assignments(course, args.assignment)
    students = [s for s in course.students() if not args.student or s in args.student]
    pairs = [(s, a) for a in aids for s in students if (course.submitted / s / a).is_dir()]
    if not pairs:
        print(f"autograde: no submissions in {course.submitted.relative_to(course.root)}/ "
              f"for {', '.join(aids) or 'any assignment'}")
        return 1
    refusal = _sandbox_refusal(course)
    if refusal:
        print(refusal)
        return 1
    if course.backend == "sqlite" and course.jobs > 1:
        # SQLite locks the whole file for each write: parallel autograde runs queue on
        # the lock, and under load a run can wait past any timeout and lose its grades.
        if course.jobs_given:
            print(f"autograde: {course.jobs} jobs asked for, but the gradebook is SQLite, which takes "
                  "one writer at a time; grading with 1 job. Parallel autograde needs a PostgreSQL "
                  "gradebook: DB_URL=postgresql://... (docs/deploy.md).")
        course.jobs = 1
    registered = _prepare_gradebook(course, aids, sorted({s for s, _ in pairs}))
    for aid in registered:
        print(f"  recorded {aid} in the gradebook (it had not been released with this gradebook)")

    outcomes = {(s, a): Outcome(s, a) for s, a in pairs}
    for (s, a), outcome in outcomes.items():
        problem = _precheck(course, s, a)
        if problem:
            outcome.reason = problem

    logdir = course.autograded / ".logs"
    timings_path = logdir / "timings.json"
    try:
        weights = json.loads(timings_path.read_text())
    except (OSError, ValueError):
        weights = {}
    plan = _plan(pairs, course.jobs, weights)
    print(f"autograde: {len(pairs)} submissions from {len({s for s, _ in pairs})} students, "
          f"{len(aids)} assignment{'s' if len(aids) != 1 else ''}, {len(plan)} nbgrader "
          f"run{'s' if len(plan) != 1 else ''} on {course.jobs} worker{'s' if course.jobs > 1 else ''}; "
          f"{_sandbox_words(course)}")

    def autograde_args(job):
        extra = ["--force"] if not args.new_only else []
        if course.timeout:
            extra.append(f"--Execute.timeout={course.timeout}")
        ignore = [f"--CourseDirectory.ignore={pattern}" for pattern in AUTOGRADE_IGNORE]
        return ["autograde", job.aid, *extra, *ignore, *_exclude_args(job)]

    # Kernels inherit the environment. With matplotlib's non-interactive Agg backend the
    # notebooks' figures are not rendered to PNG, which halves the time of the notebooks
    # with many plots and changes nothing a test can see (--figures keeps them).
    extra_env = {} if args.figures else {"MPLBACKEND": "agg"}
    if course.jobs > 1:
        # The jobs are the parallelism: each grading kernel gets its share of the cores
        # for BLAS/OpenMP. Otherwise every kernel starts a thread per core, and the jobs'
        # busy-waiting BLAS threads on the same cores slow each other down.
        threads = str(max(1, (os.cpu_count() or 1) // course.jobs))
        extra_env.update(OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads, MKL_NUM_THREADS=threads)
    _run_jobs(course, plan, autograde_args, "autograde", logdir, extra_env)
    failures = {}
    for job in plan:
        failures.update(_failures_in_log(job.log.read_text(encoding="utf-8", errors="replace")))

    # One more, sequential try for submissions that nbgrader never reached (a run that
    # stopped early) or that failed for a reason of the machine, not of the notebook.
    again = [(s, a) for (s, a) in pairs if not _autograded_all(course, s, a)
             and ((s, a) not in failures or _transient(failures[(s, a)]))]
    if again:
        print(f"  trying {_count(len(again), 'submission')} again, one at a time "
              "(not reached, or the kernel failed to start)")
        for key in again:
            failures.pop(key, None)
        retry = _plan(again, 1, weights)
        saved_jobs, course.jobs = course.jobs, 1
        try:
            _run_jobs(course, retry, autograde_args, "autograde-retry", logdir, extra_env)
        finally:
            course.jobs = saved_jobs
        for job in retry:
            failures.update(_failures_in_log(job.log.read_text(encoding="utf-8", errors="replace")))
        plan += retry

    _record_weights(timings_path, plan, weights)

    # Outcomes, from the autograded files and the gradebook.
    with course.gradebook() as gb:
        from nbgrader.api import MissingEntry
        for (s, a), outcome in outcomes.items():
            if _autograded_all(course, s, a):
                outcome.status = "graded"
                try:
                    sub = gb.find_submission(a, s)
                    outcome.score, outcome.max_score = float(sub.score), float(sub.max_score)
                except MissingEntry:
                    outcome.status, outcome.reason = "failed", "graded, but missing from the gradebook"
                for nb in course.notebooks(a):
                    outcome.notes += _cell_problems(course.autograded / s / a / nb)
                if outcome.reason:  # e.g. a missing notebook, which nbgrader scores 0
                    outcome.notes.insert(0, outcome.reason)
                    outcome.reason = ""
            else:
                outcome.status = "failed"
                outcome.reason = outcome.reason or failures.get((s, a)) or \
                    "nbgrader did not produce a graded notebook (see the logs)"
        gradebook_students = {st.id for st in gb.students}

    flags, _, _ = tamper.scan_course(course.root, aids, sorted({s for s, _ in pairs}),
                                     source_dir=course.source.name, submitted_dir=course.submitted.name)
    elapsed = time.perf_counter() - start
    _print_flags(flags)
    summary = _autograde_summary(outcomes, flags, elapsed, course.jobs, gradebook_students)
    summary["sandbox"] = course.sandboxed
    _print_autograde_summary(summary, logdir, course.root)
    summary_path = logdir / "summary.json"
    summary_path.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


UNSANDBOXED = "UNSANDBOXED (--no-sandbox): learner code ran with your files, network and processes"


def _sandbox_words(course):
    return "each kernel in the sandbox" if course.sandboxed else UNSANDBOXED


def _sandbox_refusal(course):
    """Why autograde must not start ('' when the sandbox works, or when it is switched off)."""
    if not course.sandboxed:
        return ""
    try:
        sandbox.preflight()
    except sandbox.SandboxUnavailable as exc:
        return f"autograde: stopped before grading anything: {exc}."
    return ""


def _autograded_all(course, student, aid):
    folder = course.autograded / student / aid
    return folder.is_dir() and all((folder / nb).is_file() for nb in course.notebooks(aid))


def _record_weights(path, plan, old):
    """Seconds per notebook per assignment, so the next run starts the slow ones first."""
    per = {}
    for job in plan:
        if job.students and job.seconds:
            per.setdefault(job.aid, []).append(job.seconds / len(job.students))
    weights = dict(old)
    weights.update({aid: round(sum(v) / len(v), 3) for aid, v in per.items()})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(weights, indent=1), encoding="utf-8")
    except OSError:
        pass


def _autograde_summary(outcomes, flags, elapsed, jobs, gradebook_students):
    flagged = {}
    for flag in flags:
        flagged.setdefault(flag.student, []).append(flag)
    graded = [o for o in outcomes.values() if o.status == "graded"]
    failed = [o for o in outcomes.values() if o.status == "failed"]
    students = sorted({o.student for o in outcomes.values()})
    return {
        "seconds": round(elapsed, 2),
        "jobs": jobs,
        "submissions": len(outcomes),
        "students": students,
        "students_graded": sorted({o.student for o in graded}),
        "graded": len(graded),
        "failed": [asdict(o) for o in sorted(failed, key=lambda o: (o.student, o.assignment))],
        "outcomes": [asdict(o) for o in sorted(outcomes.values(), key=lambda o: (o.student, o.assignment))],
        "flagged": {s: [str(f) for f in fl] for s, fl in sorted(flagged.items())},
        "flags": [asdict(f) for f in flags],
        "missing_from_gradebook": sorted(set(students) - set(gradebook_students)),
    }


def _print_flags(flags):
    if flags:
        print(f"tamper scan: {len(flags)} flag{'s' if len(flags) != 1 else ''} "
              "(each needs a look; the scan does not change grades)")
        for flag in flags:
            print(f"  {flag}")


def _print_autograde_summary(summary, logdir, root):
    noted = [o for o in summary["outcomes"] if o["status"] == "graded" and o["notes"]]
    for o in noted:
        print(f"  note     {o['student']} {o['assignment']}: {'; '.join(o['notes'])}")
    for o in summary["failed"]:
        print(f"  FAILED   {o['student']} {o['assignment']}: {o['reason']}")
    if summary["missing_from_gradebook"]:
        print(f"  not in the gradebook: {', '.join(summary['missing_from_gradebook'])}")
    n_flagged = len(summary["flagged"])
    print(f"autograde summary: {len(summary['students_graded'])} of {len(summary['students'])} students "
          f"graded ({summary['graded']} of {summary['submissions']} submissions), "
          f"failures: {len(summary['failed'])}, flagged: {n_flagged} student"
          f"{'s' if n_flagged != 1 else ''}"
          f"{' (' + ', '.join(summary['flagged']) + ')' if 0 < n_flagged <= 10 else ''}; "
          f"{_duration(summary['seconds'])} with {summary['jobs']} job{'s' if summary['jobs'] != 1 else ''}; "
          f"{'sandboxed' if summary['sandbox'] else UNSANDBOXED}; logs in {_rel(logdir, root)}/")


def _rel(path, root):
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)


# ------------------------------------------------------------------------- feedback

def cmd_feedback(course, args):
    start = time.perf_counter()
    aids = _pick_assignments(course, args.assignment)
    pairs = [(s.parent.name, a) for a in aids for s in sorted(course.autograded.glob(f"*/{a}"))
             if s.is_dir() and not s.parent.name.startswith(".")
             and (not args.student or s.parent.name in args.student)]
    if not pairs:
        print("feedback: nothing autograded yet (run make autograde first)")
        return 1
    plan = _plan(pairs, course.jobs, {})
    print(f"feedback: {len(pairs)} graded submissions, {len(plan)} nbgrader runs on {course.jobs} "
          f"worker{'s' if course.jobs > 1 else ''}")
    _run_jobs(course, plan, lambda job: ["generate_feedback", job.aid, "--force", *_exclude_args(job)],
              "feedback", course.feedback / ".logs")
    missing = [(s, a) for s, a in pairs
               if not all((course.feedback / s / a / (Path(nb).stem + ".html")).is_file()
                          for nb in course.notebooks(a))]
    for s, a in missing:
        logs = _rel(course.feedback / ".logs", course.root)
        print(f"  FAILED   {s} {a}: no feedback written (see {logs}/)")
    written = len(pairs) - len(missing)
    print(f"feedback summary: {written} of {len(pairs)} submissions have feedback in "
          f"{_rel(course.feedback, course.root)}/<student>/<assignment>/, "
          f"{len({s for s, _ in pairs} - {s for s, _ in missing})} students; failures: {len(missing)}; "
          f"{_duration(time.perf_counter() - start)}")
    return 1 if missing else 0


# --------------------------------------------------------------------------- grades

def cmd_grades(course, args):
    out = Path(args.output or course.root / "grades.csv").resolve()
    code, text = course.run("export", f"--to={out}")
    if code != 0 or not out.is_file():
        print(f"grades: nbgrader export failed (exit {code}):\n{_indent(_tail(text))}")
        return 1
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    wide = out.with_name(out.stem + "_by_student.csv")
    assignments = sorted({r["assignment"] for r in rows})
    table = {}
    for r in rows:
        entry = table.setdefault(r["student_id"], {
            "student_id": r["student_id"], "last_name": r.get("last_name", ""),
            "first_name": r.get("first_name", ""), "email": r.get("email", ""),
            "total": 0.0, "max_total": 0.0})
        score = float(r["score"] or 0)
        entry[r["assignment"]] = _number(score)
        entry["total"] += score
        entry["max_total"] += float(r["max_score"] or 0)
    with open(wide, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["student_id", "last_name", "first_name", "email",
                                     *assignments, "total", "max_total"])
        writer.writeheader()
        for sid in sorted(table):
            entry = table[sid]
            entry["total"], entry["max_total"] = _number(entry["total"]), _number(entry["max_total"])
            writer.writerow(entry)
    print(f"  {_rel(out, course.root)}: nbgrader's export, one row per student and assignment")
    print(f"  {_rel(wide, course.root)}: one row per student, one column per assignment, for an LMS")
    with course.gradebook() as gb:
        handed_in = {a.name: len(a.submissions) for a in gb.assignments}
    for aid in assignments:
        scores = [float(r["score"] or 0) for r in rows if r["assignment"] == aid]
        best = max((float(r["max_score"] or 0) for r in rows if r["assignment"] == aid), default=0)
        print(f"  {aid}: {handed_in.get(aid, 0)} submissions, mean {sum(scores) / len(scores):.1f} "
              f"of {_number(best)} points over all {len(scores)} students")
    print(f"grades summary: {len(table)} students, {len(assignments)} assignments, {len(rows)} rows")
    return 0


def _number(x):
    return int(x) if float(x).is_integer() else round(float(x), 2)


# ----------------------------------------------------------------------------- scan

def cmd_scan(course, args):
    aids = _pick_assignments(course, args.assignment)
    flags, problems, scanned = tamper.scan_course(
        course.root, aids, args.student or None,
        source_dir=course.source.name, submitted_dir=course.submitted.name)
    for flag in flags:
        print(flag.tsv() if args.tsv else str(flag))
    for student, label, text in problems:
        print(f"  not scanned: {student} {label}: {text}", file=sys.stderr)
    students = {f.student for f in flags}
    print(f"scan summary: {scanned} submissions read, {len(flags)} flag{'s' if len(flags) != 1 else ''} "
          f"on {len(students)} student{'s' if len(students) != 1 else ''}"
          f"{' (' + ', '.join(sorted(students)) + ')' if 0 < len(students) <= 10 else ''}; "
          f"{len(problems)} notebooks missing or unreadable; grades are not changed",
          file=sys.stderr if args.tsv else sys.stdout)
    return 1 if (args.strict and flags) else 0


# ------------------------------------------------------------------------------ CLI

def _pick_assignments(course, wanted):
    known = course.assignments()
    if not wanted:
        return known
    unknown = [a for a in wanted if a not in known]
    if unknown:
        raise SystemExit(f"unknown assignment(s): {', '.join(unknown)} (known: {', '.join(known)})")
    return [a for a in known if a in wanted]


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m tools.grading",
        description="Grading workflow over the nbgrader CLI (see docs/instructor.md).")
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

    def common(p, students=True):
        p.add_argument("--assignment", "-a", action="append",
                       help="only this assignment (repeat for more; default: all)")
        if students:
            p.add_argument("--student", "-s", action="append",
                           help="only this student (repeat for more; default: all)")
        return p

    common(sub.add_parser("release", help="generate the learner notebooks (nbgrader generate_assignment)"),
           students=False)
    p = common(sub.add_parser("collect", help="collect submissions (nbgrader zip_collect or collect)"),
               students=False)
    p.add_argument("--lms", choices=sorted(LMS_PATTERNS), default="plain",
                   help="file-name layout of the LMS download (default: plain)")
    p.add_argument("--regexp", help="your own nbgrader named_regexp; {aid} stands for the assignment id")
    p.add_argument("--exchange", action="store_true",
                   help="use `nbgrader collect` (nbgrader exchange on a shared server) instead")
    p = common(sub.add_parser("autograde", help="autograde every submission, then run the scan"))
    p.add_argument("--timeout", type=int, help="per-cell time limit in seconds (default: nbgrader_config.py)")
    p.add_argument("--new-only", action="store_true",
                   help="skip submissions already autograded (nbgrader without --force)")
    p.add_argument("--figures", action="store_true",
                   help="render the notebooks' figures (slower; by default autograde skips them, "
                        "so feedback shows no plots)")
    p.add_argument("--json", help="also write the summary as JSON to this file")
    common(sub.add_parser("feedback", help="write HTML feedback (nbgrader generate_feedback)"))
    p = sub.add_parser("grades", help="export grades to CSV (nbgrader export)")
    p.add_argument("--output", "-o", help="CSV path (default: <root>/grades.csv)")
    p = common(sub.add_parser("scan", help="tamper scan of submitted/ (never changes grades)"))
    p.add_argument("--tsv", action="store_true", help="tab-separated flags on stdout, summary on stderr")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when anything is flagged")
    sub.add_parser("sandbox-check", help="grade a probe submission in the sandbox and print, item by "
                                         "item, what it could reach (exit 1 if it reached anything)")
    return parser


def cmd_sandbox_check(course, args):
    from tools.sandbox import probe
    return probe.sandbox_check(course)


COMMANDS = {"release": cmd_release, "collect": cmd_collect, "autograde": cmd_autograde,
            "feedback": cmd_feedback, "grades": cmd_grades, "scan": cmd_scan,
            "sandbox-check": cmd_sandbox_check}


def main(argv=None):
    args = build_parser().parse_args(argv)
    course = Course.open(args.root, None, args.jobs, getattr(args, "timeout", None),
                         db_url_file=args.db_url_file, sandboxed=not args.no_sandbox)
    try:
        return COMMANDS[args.command](course, args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
