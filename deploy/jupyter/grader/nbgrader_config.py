"""nbgrader settings of the grader service (the shared formgrader of the course).

The course directory itself (a clone of the course repository) holds the course's
nbgrader_config.py: source and release folders, timeouts. This file adds what only
the grader service has: the gradebook, a PostgreSQL database whose URL (password
included) JupyterHub hands to this service alone in NBGRADER_DB_URL.
"""
import os

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

_db_url = os.environ.get("NBGRADER_DB_URL", "").strip()
if not _db_url:
    raise RuntimeError("NBGRADER_DB_URL is not set: the grader service needs the gradebook URL")
c.CourseDirectory.db_url = _db_url
