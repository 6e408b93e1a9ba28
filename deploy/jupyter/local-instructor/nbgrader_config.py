"""nbgrader settings of `make formgrader` (an instructor's own JupyterLab at the course root).

The course's own nbgrader_config.py (the repository root) holds everything else. This file
only picks the gradebook, as the grading commands do: $NBGRADER_DB_URL, else the file named
by $NBGRADER_DB_URL_FILE, else the course's default (sqlite, gradebook.db at the root). The
URL comes in the environment, never on a command line (a PostgreSQL URL holds a password).
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

_url = os.environ.get("NBGRADER_DB_URL", "").strip()
_file = os.environ.get("NBGRADER_DB_URL_FILE", "").strip()
if not _url and _file:
    _url = Path(_file).expanduser().read_text(encoding="utf-8").strip()
if _url:
    c.CourseDirectory.db_url = _url
