"""nbgrader settings of the grader service (the shared formgrader of the course).

The course directory itself (a clone of the course repository) holds the course's
nbgrader_config.py: source and release folders, timeouts. This file adds what only
the grader service has:

* the gradebook, a PostgreSQL database whose URL (password included) JupyterHub hands
  to this service alone in NBGRADER_DB_URL;
* the grading sandbox: every kernel that the formgrader's *Autograde* starts for a
  learner's notebook runs in bubblewrap (tools/sandbox/), with an empty environment,
  no network and none of the grader's files. Where no sandbox can start, autograding a
  submission fails with the reason instead of running the notebook unsandboxed.

The learners' servers do not read this file: their *Validate* runs their own notebook
as themselves, which needs no sandbox.
"""
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

_db_url = os.environ.get("NBGRADER_DB_URL", "").strip()
if not _db_url:
    raise RuntimeError("NBGRADER_DB_URL is not set: the grader service needs the gradebook URL")
c.CourseDirectory.db_url = _db_url

# tools.sandbox comes from the repository this file belongs to, which is the copy the hub
# runs from (root-owned on a server), not the course directory that instructors edit:
# the code that confines learners' notebooks is then not theirs to change either.
# First on sys.path, so that no other "tools" package shadows it. The formgrader
# reloads this file for each request, hence the check.
_REPO = str(Path(__file__).resolve().parents[3])
if sys.path[:1] != [_REPO]:
    if _REPO in sys.path:
        sys.path.remove(_REPO)
    sys.path.insert(0, _REPO)
c.Execute.kernel_manager_class = "tools.sandbox.kernel.SandboxKernelManager"
