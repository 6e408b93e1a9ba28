"""The course: its folders, its configuration, its gradebook, and how nbgrader is run on it.

The gradebook URL (a PostgreSQL URL holds a password) never stands on a command line,
where every process on the machine can read it: it comes from $NBGRADER_DB_URL, from a
file named by --db-url-file or $NBGRADER_DB_URL_FILE, or from nbgrader_config.py, and
reaches nbgrader in its environment, which the sandbox does not pass on to kernels.
"""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import sandbox
from .report import UsageError

REPO = Path(__file__).resolve().parents[2]


def _layout(name, default):
    """A course folder: nbgrader's default, or CourseDirectory.<name> of nbgrader_config.py."""
    return property(lambda self: self.root / (_config_value(self.config, "CourseDirectory", name) or default),
                    doc=f"CourseDirectory.{name} (default {default}/)")


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

    source = _layout("source_directory", "source")
    release = _layout("release_directory", "release")
    submitted = _layout("submitted_directory", "submitted")
    autograded = _layout("autograded_directory", "autograded")
    feedback = _layout("feedback_directory", "feedback")
    downloaded = _layout("downloaded_directory", "downloaded")

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

    @property
    def course_id(self):
        return _config_value(self.config, "CourseDirectory", "course_id") or "default_course"

    def assignments(self):
        """Assignment ids: folders of the source directory that hold a notebook, sorted."""
        if not self.source.is_dir():
            return []
        return sorted(p.name for p in self.source.iterdir()
                      if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb")))

    def pick_assignments(self, wanted):
        """The assignments asked for (all when none are named), in order; UsageError for unknown ones."""
        known = self.assignments()
        if not wanted:
            return known
        unknown = [a for a in wanted if a not in known]
        if unknown:
            raise UsageError(f"unknown assignment(s): {', '.join(unknown)} (known: {', '.join(known)})")
        return [a for a in known if a in wanted]

    def notebooks(self, aid):
        return sorted(p.name for p in (self.source / aid).glob("*.ipynb"))

    def handed_in(self, folder, aid):
        """{student: folder} of the students with a folder `aid` under `folder` (submitted/, autograded/ ...)."""
        if not folder.is_dir():
            return {}
        return {p.parent.name: p for p in sorted(folder.glob(f"*/{aid}"))
                if p.is_dir() and not p.parent.name.startswith(".")}

    def complete(self, folder, student, aid, name=lambda nb: nb):
        """Whether folder/<student>/<aid>/ holds a file `name(nb)` for every notebook of `aid`."""
        return all((folder / student / aid / name(nb)).is_file() for nb in self.notebooks(aid))

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

    def check_gradebook(self):
        """UsageError, before any work, when the gradebook's database cannot be reached.

        Otherwise every nbgrader run would fail on its own, each with a traceback,
        and the command would report the course's work as failed (exit 1) when the
        fault is the configuration. The message names the database without its
        password. A SQLite file need not exist yet (nbgrader creates it), but its
        folder must.
        """
        import sqlalchemy
        try:
            url = sqlalchemy.engine.make_url(self.db_url)
        except sqlalchemy.exc.ArgumentError:
            raise UsageError("the gradebook URL is not a database URL "
                             "(expected e.g. sqlite:///gradebook.db or postgresql://...)") from None
        shown = url.render_as_string(hide_password=True)
        if url.get_backend_name() == "sqlite":
            folder = Path(url.database or ".").parent if url.database not in (None, "", ":memory:") else None
            if folder is not None and not folder.is_dir():
                raise UsageError(f"the gradebook {shown} is in a folder that does not exist: {folder}")
            return
        try:
            engine = sqlalchemy.create_engine(url, connect_args=_CONNECT_TIMEOUT.get(url.get_backend_name(), {}))
            with engine.connect():
                pass
        except Exception as exc:  # driver errors differ per backend; all mean the same here
            first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise UsageError(f"cannot reach the gradebook {shown}: {first}") from None
        finally:
            if "engine" in locals():
                engine.dispose()


def sandbox_refusal(course, command):
    """Why `command` must not start ('' when the sandbox works, or when it is switched off)."""
    if not course.sandboxed:
        return ""
    try:
        sandbox.preflight()
    except sandbox.SandboxUnavailable as exc:
        return f"{command}: stopped before grading anything: {exc}."
    return ""


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
        raise UsageError(f"cannot read the gradebook URL file {path}: {exc.strerror}")
    url = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if not url:
        raise UsageError(f"the gradebook URL file {path} is empty")
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


# Seconds before an unreachable database server counts as unreachable.
_CONNECT_TIMEOUT = {"postgresql": {"connect_timeout": 10}}


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
