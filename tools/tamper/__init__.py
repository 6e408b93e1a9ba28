"""Tamper scan: static checks of submitted notebooks against the course's source notebooks.

The scan reads ``submitted/<student>/<assignment>/`` and reports, one line per flag,
code that could change how a notebook is graded. It parses every learner-written code
cell with Python's ``ast`` module (after IPython's own translation of ``%magics`` and
``!shell`` lines) and compares the cells and their nbgrader metadata with
``solutions/<assignment>/<assignment>.ipynb``. It never runs learner code and never
changes a grade: a flag asks a person to look at the submission.

The package follows the scan: ``reference`` (the source notebook), ``scan`` (one
notebook's metadata, cells and code), ``submissions`` (files, folders, the course);
the cell scanner is ``base`` with the checks ``bindings``, ``calls`` and ``reach``,
over ``parsing``, ``places`` and the ``tables`` of what it looks for.

Flag kinds
----------
patch     reassigns, deletes or patches an attribute of numpy, ``np.testing``, math,
          builtins, nnlib, the test helpers (``T``) or a value the tests use
shadow    binds, at the top level of the notebook, a name the test cells rely on
          (``np``, ``T``, ``REF``, a builtin such as ``len`` ...)
exit      ends the kernel or the cell: ``sys.exit``, ``os._exit``, ``raise SystemExit`` ...
ctypes    imports ctypes
kernel    interferes with the interpreter or IPython: ``sys.stderr``/``sys.modules``
          /``sys.path`` changes, tracing, signal handlers, catching KeyboardInterrupt,
          ``get_ipython()`` internals such as ``set_custom_exc`` or ``events``
shell     runs shell commands or writes Python files (``!cmd``, ``%%bash``,
          ``%%writefile``, ``subprocess``, ``os.system``)
dynamic   runs code built at run time (``exec``, ``eval``, ``compile``), which a static
          scan cannot see into
path      names a place outside the notebook's folder: an absolute or ``~`` path given to
          a file function (``open``, ``os``, ``os.path``, ``shutil``, ``glob``, ``pathlib``,
          numpy's and matplotlib's loaders and savers ...), any string with a ``..``
          component, ``os.pardir``, ``Path.home()``, ``%cd`` to an absolute, home or earlier
          folder, or an absolute path walked up out of the folder (``Path.cwd().parent``,
          ``.parents[...]``, ``os.path.dirname(os.getcwd())``)
database  imports or uses a database client: ``sqlite3``, ``psycopg``/``psycopg2``,
          ``sqlalchemy``, ``dbm``, ``shelve``, nbgrader's ``api`` (``Gradebook``) or ``apps``
network   imports or uses the network: ``socket`` (``gethostname`` too), ``urllib.request``,
          ``http.client``/``http.server``, ``requests``, ``httpx``, ``aiohttp``, ``ftplib``,
          ``smtplib``, ``telnetlib``, ``asyncio.open_connection`` ..., ``websocket(s)``,
          ``zmq``, scikit-learn's ``fetch_*`` downloads, ``%pip``; a URL given to a file
          function
system    inspects the environment or the processes: ``os.environ``, ``os.getenv``,
          ``os.putenv``, ``%env``, any ``/proc`` string, ``psutil``, ``os.getppid``,
          ``os.getlogin``, ``os.uname``, ``pwd``, ``grp``, ``resource``, ``platform.node``,
          ``platform.uname``, ``getpass.getuser``
metadata  changed nbgrader metadata: points, grade/solution/locked flags, cell type,
          an unknown or duplicated grade_id
removed   a graded test cell or a locked cell is missing
edited    the code of a locked cell differs from the release
extra     an extra file in the submission that Python could import from the grading
          directory (``*.py``, ``*.pth``, a package ...)
"""
from .flags import KINDS, Flag
from .parsing import parse_cell
from .reference import Reference, read_notebook
from .scan import scan_notebook
from .submissions import extra_files, load_references, scan_course, scan_submission
from .tables import REACH_WHY

__all__ = ["KINDS", "REACH_WHY", "Flag", "Reference", "extra_files", "load_references", "parse_cell",
           "read_notebook", "scan_course", "scan_notebook", "scan_submission"]
