"""Running notebooks headless, as a learner's kernel or nbgrader runs them, and reading the results.

Everything runs in a throwaway Jupyter environment (:func:`isolated_env`): its own
HOME, Jupyter and IPython directories and matplotlib cache, the virtualenv's ``bin/``
first on PATH, so that nothing is read from, or left in, the real HOME. The tests,
the benchmarks and the learner's progress check share these.
"""
import os
import re
import shutil
import sys
from pathlib import Path

from nncourse.manifest import NBGRADER_CONFIG
from nncourse.notebook import source

__all__ = ["venv_bin", "isolated_env", "load_nbgrader_config", "cell_timeout", "execute_notebook",
           "copy_assignment", "strip_ansi", "errors_of", "stderr_of", "traceback_tail"]

_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def venv_bin():
    """Directory of the running interpreter (not resolved: a venv's python is a symlink)."""
    return Path(sys.executable).absolute().parent


def isolated_env(home):
    """Environment for nbgrader/jupyter subprocesses: throwaway HOME, the venv's bin first."""
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_PATH",
                "JUPYTER_CONFIG_PATH", "IPYTHONDIR", "MPLBACKEND"):
        env.pop(var, None)
    env["HOME"] = str(home)
    env["JUPYTER_CONFIG_DIR"] = str(home / ".jupyter")
    env["IPYTHONDIR"] = str(home / ".ipython")
    env["MPLCONFIGDIR"] = str(home / ".config" / "matplotlib")
    env["PATH"] = os.pathsep.join([str(venv_bin()), env.get("PATH", "")])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def load_nbgrader_config(path=NBGRADER_CONFIG):
    """The course's nbgrader_config.py as a traitlets Config."""
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(path)
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def cell_timeout(default=120):
    """Per-cell timeout from the course config (Execute.timeout)."""
    try:
        return int(load_nbgrader_config().Execute.timeout)
    except Exception:  # missing or unreadable config: the sync/roundtrip tests report that
        return default


def execute_notebook(nb, cwd, env=None, timeout=None):
    """Execute nb (in place) with every cell run even after errors; returns nb."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=timeout or cell_timeout(),
        kernel_name="python3",
        allow_errors=True,
        interrupt_on_timeout=True,
        extra_arguments=["--HistoryManager.hist_file=:memory:"],
        resources={"metadata": {"path": str(cwd)}},
    )
    kwargs = {"env": env} if env is not None else {}
    client.execute(**kwargs)
    return nb


def copy_assignment(src_dir, dest_dir):
    """Copy one assignment folder, leaving out checkpoints and caches."""
    shutil.copytree(src_dir, dest_dir, ignore=shutil.ignore_patterns(
        ".ipynb_checkpoints", "__pycache__", "*.pyc"))


def strip_ansi(text):
    return _ANSI_RE.sub("", text)


def errors_of(cell):
    """Error outputs of an executed cell as 'Name: value' strings."""
    return [
        f"{o.get('ename')}: {strip_ansi(str(o.get('evalue', '')))}"
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def stderr_of(cell):
    return "".join(
        source({"source": o.get("text", "")})
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    )


def traceback_tail(cell, lines=12):
    """The last lines of the first error's traceback, without colour codes."""
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            tb = strip_ansi("\n".join(o.get("traceback", []))).splitlines()
            return "\n".join(tb[-lines:])
    return ""
