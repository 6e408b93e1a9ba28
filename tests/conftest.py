"""Shared fixtures for the notebook and nbgrader tests.

Expensive work is done once per test session and only when a test asks for it:
one throwaway HOME for every kernel and nbgrader process, and one scratch copy of
the course (solutions/ + nbgrader_config.py in a temporary directory, with its own
temporary sqlite gradebook) in which each assignment is generated at most once.
Nothing here writes into the repository or the real HOME.
"""
import os
import shutil

import pytest

import nbutil


@pytest.fixture(scope="session")
def nb_home(tmp_path_factory):
    """A throwaway HOME for jupyter, IPython, matplotlib and nbgrader state."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="session")
def nb_env(nb_home):
    """Environment for kernels and nbgrader subprocesses (venv bin first on PATH)."""
    return nbutil.isolated_env(nb_home)


@pytest.fixture
def isolated_environ(nb_env):
    """os.environ switched to `nb_env` for the test (kernels started in-process inherit it)."""
    with pytest.MonkeyPatch.context() as mp:
        for key in set(os.environ) - set(nb_env):
            mp.delenv(key)
        for key, value in nb_env.items():
            mp.setenv(key, value)
        yield


class ScratchCourse:
    """A temporary nbgrader course built from the repository's solutions/."""

    def __init__(self, root, db_url, env):
        self.root = root
        self.db_url = db_url
        self.env = env
        self._generated = {}

    def nbgrader(self, *args, timeout=900):
        """Run the nbgrader CLI in the course root against the scratch gradebook."""
        cmd = [
            nbutil.venv_bin() / "nbgrader", *args,
            f"--CourseDirectory.root={self.root}",
            f"--CourseDirectory.db_url={self.db_url}",
        ]
        return nbutil.run(cmd, cwd=self.root, env=self.env, timeout=timeout)

    def release_path(self, aid):
        return nbutil.release_path(aid, self.root)

    def generate(self, aid):
        """`nbgrader generate_assignment <aid> --force`, once per session.

        Returns the generated release path; raises AssertionError (a failure,
        not a skip) when the source notebook is missing or nbgrader fails.
        """
        if aid not in self._generated:
            self._generated[aid] = self._generate(aid)
        ok, detail = self._generated[aid]
        if not ok:
            raise AssertionError(detail)
        return detail

    def _generate(self, aid):
        if not nbutil.NBGRADER_CONFIG.is_file():
            return False, "missing nbgrader_config.py at the repository root"
        src = nbutil.source_path(aid)
        if not src.is_file():
            return False, f"missing source notebook: {nbutil.notebook_relpath(nbutil.SOURCE_DIR, aid)}"
        dest = self.root / nbutil.SOURCE_DIR / aid
        if dest.exists():
            shutil.rmtree(dest)
        nbutil.copy_assignment(src.parent, dest)
        proc = self.nbgrader("generate_assignment", aid, "--force")
        out = self.release_path(aid)
        if proc.returncode != 0 or not out.is_file():
            return False, f"nbgrader generate_assignment {aid} failed:\n{nbutil.format_run(proc)}"
        return True, out


@pytest.fixture(scope="session")
def scratch_course(tmp_path_factory, nb_env):
    """One scratch course per session; call .generate(aid) to release an assignment."""
    root = tmp_path_factory.mktemp("course")
    if nbutil.NBGRADER_CONFIG.is_file():
        shutil.copy2(nbutil.NBGRADER_CONFIG, root / "nbgrader_config.py")
    (root / nbutil.SOURCE_DIR).mkdir()
    db = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    return ScratchCourse(root, f"sqlite:///{db}", nb_env)
