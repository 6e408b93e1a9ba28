"""Tamper scan: static checks of submitted notebooks against the course's source notebooks.

The scan reads ``submitted/<student>/<assignment>/`` and reports, one line per flag,
code that could change how a notebook is graded. It parses every learner-written code
cell with Python's ``ast`` module (after IPython's own translation of ``%magics`` and
``!shell`` lines) and compares the cells and their nbgrader metadata with
``solutions/<assignment>/<assignment>.ipynb``. It never runs learner code and never
changes a grade: a flag asks a person to look at the submission.

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
import ast
import builtins
import json
from dataclasses import dataclass
from pathlib import Path

from nncourse.protection import DEFAULT_ALIASES, PROTECTED_MODULES, SHELL_SAFE_ATTRS

KINDS = ("patch", "shadow", "exit", "ctypes", "kernel", "shell", "dynamic",
         "path", "database", "network", "system", "metadata", "removed", "edited", "extra")

# The pseudo module path of `get_ipython()`; its attributes a notebook may use freely.
SHELL = "IPython:shell"
# Cell magics whose body is Python that runs in the notebook: scanned like code.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}
# Cell magics whose body only displays something.
DISPLAY_CELL_MAGICS = {"html", "HTML", "markdown", "latex", "svg", "javascript", "js"}

EXIT_CALLS = {"sys.exit", "os._exit", "os.abort", "os.kill", "os.killpg",
              "signal.raise_signal", "signal.pthread_kill", "posix._exit", "builtins.exit",
              "builtins.quit", "_thread.interrupt_main"}
KERNEL_CALLS = {"signal.signal", "signal.siginterrupt", "signal.pthread_sigmask",
                "sys.settrace", "sys.setprofile", "threading.settrace", "threading.setprofile",
                "sys.setrecursionlimit", "faulthandler.enable", "atexit.register",
                "sys.addaudithook", "gc.freeze"}
SHELL_PREFIXES = ("subprocess.", "os.exec", "os.spawn", "os.posix_spawn", "pty.spawn")
SHELL_CALLS = {"os.system", "os.popen", "os.startfile", "os.fork", "os.forkpty"}
DYNAMIC_CALLS = {"builtins.exec", "builtins.eval", "builtins.compile"}
IMPORT_CALLS = {"builtins.__import__", "importlib.import_module", "importlib.__import__"}
PATCH_CALLS = {"builtins.setattr", "builtins.delattr"}
# Things a learner's mutation of sys amounts to (sys.<name> = ... / sys.<name>.<method>(...)).
SYS_MUTATORS = {"append", "insert", "extend", "remove", "pop", "clear", "update",
                "setdefault", "__setitem__", "__delitem__", "popitem"}
# Files that change what `import` finds when they sit in the grading directory.
IMPORTABLE_SUFFIXES = (".py", ".pyc", ".pyo", ".pyd", ".so", ".pth")
IMPORTABLE_STEMS = ("sitecustomize", "usercustomize")

# What a notebook reaches outside its own folder with: a dotted path names a module or an
# attribute, and everything below it counts too (sqlite3.connect, os.environ.get ...).
REACH = {
    **dict.fromkeys(("sqlite3", "_sqlite3", "psycopg", "psycopg2", "sqlalchemy", "dbm", "shelve",
                     "nbgrader.api", "nbgrader.apps"), "database"),
    **dict.fromkeys(("socket", "_socket", "socketserver", "urllib.request", "urllib.robotparser",
                     "urllib3", "http.client", "http.server", "requests", "httpx", "aiohttp",
                     "ftplib", "smtplib", "telnetlib", "poplib", "imaplib", "xmlrpc.client",
                     "xmlrpc.server", "websocket", "websockets", "zmq", "multiprocessing.connection",
                     "asyncio.open_connection", "asyncio.open_unix_connection",
                     "asyncio.start_server", "asyncio.start_unix_server"), "network"),
    **dict.fromkeys(("os.environ", "os.environb", "os.getenv", "os.getenvb", "os.putenv",
                     "os.unsetenv", "os.getppid", "os.getlogin", "os.uname", "psutil", "pwd",
                     "grp", "resource", "platform.node", "platform.uname", "getpass.getuser"),
                    "system"),
    "os.pardir": "path",
}
# scikit-learn's fetch_* functions download their data sets (load_* read files it ships).
NETWORK_NAME_PREFIXES = ("sklearn.datasets.fetch_",)
# Why each kind of reach matters, the second half of its flags' messages.
REACH_WHY = {
    "path": "outside the notebook's folder, where other learners' work and the gradebook are",
    "database": "a database client, and the gradebook is a database",
    "network": "network access, which can fetch answers or send work out",
    "system": "environment or process details, which can hold the grader's settings and secrets",
}
# Calls whose arguments are file names (besides os.*, see OS_PATH_FUNCTIONS).
PATH_CALLS = {"builtins.open", "io.open", "io.open_code", "io.FileIO", "codecs.open", "runpy.run_path",
              "fileinput.input", "linecache.getline", "linecache.getlines", "tarfile.open",
              "zipfile.ZipFile", "gzip.open", "bz2.open", "lzma.open", "numpy.load", "numpy.save",
              "numpy.savez", "numpy.savez_compressed", "numpy.loadtxt", "numpy.savetxt",
              "numpy.genfromtxt", "numpy.fromfile", "numpy.memmap", "matplotlib.pyplot.savefig",
              "matplotlib.pyplot.imread", "matplotlib.pyplot.imsave", "matplotlib.image.imread",
              "matplotlib.image.imsave"}
PATH_PREFIXES = ("os.path.", "shutil.", "glob.", "pathlib.", "pandas.read_")
OS_PATH_FUNCTIONS = {"listdir", "scandir", "walk", "fwalk", "stat", "lstat", "chdir", "chmod", "chown",
                     "lchown", "chroot", "access", "mkdir", "makedirs", "remove", "unlink", "rmdir",
                     "removedirs", "rename", "renames", "replace", "link", "symlink", "readlink",
                     "truncate", "utime", "mkfifo", "mknod", "open", "statvfs", "pathconf",
                     "listxattr", "getxattr", "setxattr", "removexattr"}
# Keyword arguments of those calls that hold a file name (others, such as delimiter="/", do not).
PATH_KEYWORDS = {"file", "filename", "fname", "path", "pathname", "src", "dst", "top", "root_dir",
                 "dir", "name"}
# Methods of a pathlib path whose arguments are other paths.
PATH_METHODS = {"joinpath", "rename", "replace", "symlink_to", "hardlink_to", "copy", "move"}
PATH_CLASSES = ("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath")
PATH_CWD = {f"{cls}.cwd" for cls in PATH_CLASSES} | {"os.getcwd", "os.getcwdb"}
PATH_HOME = {f"{cls}.home" for cls in PATH_CLASSES}
URL_SCHEMES = ("http://", "https://", "ftp://", "ftps://", "ws://", "wss://")
# The pseudo path of a place in the file system the scan follows through a cell, see _place.
PLACE = "path:"

# Line magics by what they reach: ones that run commands or files, and the rest.
SHELL_LINE_MAGICS = {"sx", "system", "sc", "bash", "sh", "run", "load", "writefile", "alias",
                     "store", "reset", "xdel", "autocall", "killbgscripts", "save", "edit"}
REACH_LINE_MAGICS = {"env": "system", "set_env": "system", "pip": "network", "conda": "network",
                     "mamba": "network", "micromamba": "network"}

BUILTIN_NAMES = frozenset(dir(builtins))
HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


@dataclass(frozen=True)
class Flag:
    """One finding: who, where, what."""

    student: str
    notebook: str          # e.g. "01_neurons/01_neurons.ipynb"
    cell: str              # e.g. "cell 7 (neuron)", or "-" for a file-level flag
    line: object           # line number inside the cell (1-based), or None
    kind: str
    message: str

    def __post_init__(self):
        if self.kind not in KINDS:  # the docs and the instructor's table list KINDS
            raise ValueError(f"unknown flag kind {self.kind!r}")

    def __str__(self):
        line = "-" if self.line is None else self.line
        return f"{self.student}  {self.notebook}  {self.cell}  line {line}  [{self.kind}] {self.message}"

    def tsv(self):
        line = "" if self.line is None else str(self.line)
        return "\t".join((self.student, self.notebook, self.cell, line, self.kind, self.message))


# --------------------------------------------------------------------------- notebook access

def _nbg(cell):
    meta = cell.get("metadata") or {}
    data = meta.get("nbgrader") if isinstance(meta, dict) else None
    return data if isinstance(data, dict) else {}


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src or "")


def _norm(text):
    """Source text compared line by line, ignoring trailing spaces and blank lines."""
    return "\n".join(ln.rstrip() for ln in text.splitlines() if ln.strip())


def _strip_hidden(text):
    """The source as nbgrader releases it: hidden-test regions (and markers) removed."""
    kept, inside = [], False
    for line in text.split("\n"):
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)


def _is_test(cell):
    m = _nbg(cell)
    return cell.get("cell_type") == "code" and bool(m.get("grade")) and not m.get("solution")


def _is_answer(cell):
    return bool(_nbg(cell).get("solution"))


def _cell_label(index, cell):
    m = _nbg(cell)
    tag = m.get("grade_id") or cell.get("id")
    return f"cell {index + 1}" + (f" ({tag})" if tag else "")


def read_notebook(path):
    """The notebook at ``path`` as a dict; raises ValueError when it is not a notebook."""
    try:
        with open(path, encoding="utf-8") as fh:
            nb = json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a readable notebook ({type(exc).__name__}: {exc})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("not a notebook (no list of cells)")
    return nb


# ---------------------------------------------------------------------- code preparation

_TRANSFORMER = None


def _transform(text):
    """IPython's own translation of %magics and !shell lines to Python (line numbers kept)."""
    global _TRANSFORMER
    if _TRANSFORMER is None:
        try:
            from IPython.core.inputtransformer2 import TransformerManager
            _TRANSFORMER = TransformerManager()
        except ImportError:  # pragma: no cover - IPython is part of the course environment
            _TRANSFORMER = False
    if _TRANSFORMER:
        try:
            return _TRANSFORMER.transform_cell(text)
        except Exception:  # IPython could not make sense of it: the kernel can't either
            return text
    return "\n".join("pass" if ln.lstrip().startswith(("%", "!")) else ln for ln in text.split("\n"))


def parse_cell(text):
    """(tree, line_offset, cell_magic) for a code cell; tree is None when it does not parse.

    A ``%%magic`` cell whose body is Python (``%%time``, ``%%capture`` ...) is parsed
    from its second line; for other cell magics only the magic's name is returned.
    """
    stripped = text.lstrip("\n")
    offset = len(text) - len(stripped)
    lead = text[:offset].count("\n")
    if stripped.startswith("%%"):
        first, _, body = stripped.partition("\n")
        magic = first[2:].split(None, 1)[0] if first[2:].strip() else ""
        if magic not in PYTHON_CELL_MAGICS:
            return None, lead, magic
        text, lead = body, lead + 1
    else:
        magic = None
    try:
        return ast.parse(_transform(text)), lead, magic
    except (SyntaxError, ValueError):
        return None, lead, magic


def _dotted(node):
    """'a.b.c' for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _bound_names(tree):
    """Names a cell binds at its top level (imports, assignments, defs, loops ...)."""
    names = set()

    class Binder(ast.NodeVisitor):
        def visit_Name(self, node):
            if isinstance(node.ctx, (ast.Store, ast.Del)):
                names.add(node.id)

        def visit_FunctionDef(self, node):
            names.add(node.name)  # the body is another scope

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_ClassDef(self, node):
            names.add(node.name)

        def visit_Lambda(self, node):
            pass

        def visit_Import(self, node):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])

        def visit_ImportFrom(self, node):
            for alias in node.names:
                if alias.name != "*":
                    names.add(alias.asname or alias.name)

        def visit_ExceptHandler(self, node):
            if node.name:
                names.add(node.name)
            self.generic_visit(node)

        def _comprehension(self, node):
            pass  # comprehension variables are local to the comprehension

        visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    Binder().visit(tree)
    return names


def _free_names(tree):
    """Names a cell reads but binds nowhere (not even as a parameter or a loop variable)."""
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {a.asname or a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return loaded - bound


def _import_targets(tree):
    """{name: dotted module path} for the top-level imports of a cell."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    out[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    out[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    out[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return out


# ------------------------------------------------------------------------------ reference

@dataclass
class Reference:
    """What the scan compares a submitted notebook with (built from the source notebook)."""

    assignment: str
    notebook: str                  # file name, e.g. "01_neurons.ipynb"
    cells: list                    # reference cells, in order
    by_grade_id: dict              # grade_id -> reference cell
    course_sources: set            # normalised sources of non-answer code cells (as released)
    protected: dict                # name -> why the tests need it
    aliases: dict                  # name -> dotted path, for the course's imports and helpers
    imports: dict                  # name -> dotted import target in course cells

    @classmethod
    def from_notebook(cls, nb, assignment, notebook=None):
        cells = nb.get("cells", [])
        by_grade_id, course_sources = {}, set()
        aliases, imports = dict(DEFAULT_ALIASES), {}
        used, answer_names, course_names = set(), set(), set()
        for cell in cells:
            m = _nbg(cell)
            if m.get("grade_id"):
                by_grade_id.setdefault(m["grade_id"], cell)
            if cell.get("cell_type") != "code":
                continue
            full = _source(cell)
            tree = parse_cell(full)[0]
            if _is_answer(cell):
                if tree is not None:
                    answer_names |= _bound_names(tree)
                continue
            course_sources.add(_norm(_strip_hidden(full)))
            if tree is None:
                continue
            targets = _import_targets(tree)
            imports.update(targets)
            aliases.update(targets)
            course_names |= _bound_names(tree)
            if _is_test(cell):
                used |= _free_names(tree)
        protected = {}
        for name in sorted(used - answer_names):
            if name in BUILTIN_NAMES:
                protected[name] = f"the builtin {name}, which the tests call"
            elif name in aliases or name in course_names:
                protected[name] = f"{name}, which the tests use"
        for name in protected:  # helper values (REF, Z_TEST ...) become protected roots too
            if name not in aliases and name not in BUILTIN_NAMES:
                aliases[name] = f"@{name}"
        return cls(assignment, notebook or f"{assignment}.ipynb", cells, by_grade_id,
                   course_sources, protected, aliases, imports)

    @classmethod
    def from_path(cls, path, assignment=None):
        path = Path(path)
        return cls.from_notebook(read_notebook(path), assignment or path.parent.name, path.name)


def _protected_path(path):
    if not path:
        return False
    if path.startswith("@"):
        return True
    root = path.split(".")[0]
    return root in PROTECTED_MODULES


def _reach(path):
    """(kind, what) when the dotted `path` is something in REACH (or below it), else None."""
    if not path:
        return None
    if path.startswith(NETWORK_NAME_PREFIXES):
        return "network", path
    parts = path.split(".")
    for end in range(1, len(parts) + 1):
        head = ".".join(parts[:end])
        if head in REACH:
            return REACH[head], head
    return None


def _posix(func):
    """`func` with posix and posixpath spelled as os and os.path, the names the tables use."""
    for alias, name in (("posixpath.", "os.path."), ("posix.", "os.")):
        if func.startswith(alias):
            return name + func[len(alias):]
    return func


def _takes_paths(func):
    """Whether the arguments of a call of `func` are file names."""
    owner, _, last = func.rpartition(".")
    return (func in PATH_CALLS or func.startswith(PATH_PREFIXES)
            or (owner == "os" and last in OS_PATH_FUNCTIONS)
            or (_read_place(owner) is not None and last in PATH_METHODS))


def _leading_text(node):
    """The literal text a string expression starts with ('/home/' for f"/home/{user}"), or None."""
    if isinstance(node, ast.Constant):
        return _text(node.value)
    if isinstance(node, ast.JoinedStr) and node.values:
        return _leading_text(node.values[0])
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _leading_text(node.left)
    return None


def _text(value):
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else None


def _short(text, limit=60):
    return text if len(text) <= limit else text[: limit - 3] + "..."


# A place is (anchored, depth): whether the path is absolute, known from the working
# directory (the notebook's folder when it is graded), and how many folders below that
# folder it names. Only an absolute path leaves the folder by walking up: a relative
# one stops at "." (PurePath("a").parent.parent is "."); a ".." in a literal is flagged
# where it is written.

def _place(anchored, depth):
    return f"{PLACE}{'a' if anchored else 'r'}{depth}"


def _read_place(path):
    """(anchored, depth) of a pseudo path made by _place, else None."""
    if path and path.startswith(PLACE) and "." not in path:
        return path[len(PLACE)] == "a", int(path[len(PLACE) + 1:])
    return None


def _text_place(text):
    """The place a relative path literal names; None for an absolute path, ~ or a URL."""
    if text.startswith(("/", "~")) or "://" in text:
        return None
    depth = 0
    for part in text.split("/"):
        depth += -1 if part == ".." else part not in ("", ".")
    return False, depth


def _up(place, steps=1):
    anchored, depth = place
    return anchored, depth - steps if anchored else max(depth - steps, 0)


def _join(place, parts):
    """`place` joined with `parts` (places or None), as os.path.join and pathlib do it."""
    for part in parts:
        if place is None or part is None:
            return None
        place = part if part[0] else (place[0], place[1] + part[1])
    return place


def _leaves_folder(magic_arg):
    """Whether `%cd <magic_arg>` goes somewhere the notebook's folder does not contain.

    No argument goes home; "-" and bookmarks go back to wherever; "$x" and "{x}" are
    expanded at run time. A ".." in the argument is flagged as a literal already.
    """
    arg = (magic_arg or "").strip()
    return not arg or arg.startswith(("/", "~", "-", "$", "{"))


# ------------------------------------------------------------------------------ AST scan

class _CellScanner(ast.NodeVisitor):
    """Walks one cell; `report(node, kind, message)` records a flag at the node's line."""

    def __init__(self, ref, env, report):
        self.ref = ref
        self.scopes = [env]          # env: notebook-wide aliases; later dicts: function scopes
        self.globals_decl = [set()]
        self.report = report
        self.reached = set()         # (kind, what) reported in this cell: one flag each

    # -- name resolution
    def lookup(self, name):
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name == "get_ipython":
            return "IPython:get_ipython"
        if name in BUILTIN_NAMES:
            return f"builtins.{name}"
        return None

    def resolve(self, node):
        """Dotted path an expression refers to ('numpy.testing', '@REF', 'IPython:shell')."""
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            place = _read_place(base)
            if place and node.attr == "parent":
                return _place(*_up(place))
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            left = _read_place(self.resolve(node.left))
            place = _join(left, [self.place(node.right)]) if left else None
            return _place(*place) if place else None
        if isinstance(node, ast.Call):
            func = self.resolve(node.func)
            place = self._call_place(func, node)
            if place:
                return _place(*place)
            if func in ("IPython:get_ipython", "IPython.get_ipython",
                        "IPython.core.getipython.get_ipython"):
                return SHELL
            if func in IMPORT_CALLS and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                name = node.args[0].value
                return name if func == "importlib.import_module" else name.split(".")[0]
            if func == "builtins.vars" and node.args:
                inner = self.resolve(node.args[0])
                return f"{inner}.__dict__" if inner else None
        if isinstance(node, ast.Subscript):
            base = self.resolve(node.value)
            key = node.slice
            if base in ("sys.modules", "sys.modules.__dict__") and isinstance(key, ast.Constant) \
                    and isinstance(key.value, str):
                return key.value
            if base == "builtins.__dict__" or base == "builtins" and isinstance(node.value, ast.Name) \
                    and node.value.id == "__builtins__":
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    return f"builtins.{key.value}"
            place = _read_place(base[: -len(".parents")]) if base and base.endswith(".parents") else None
            if place and isinstance(key, ast.Constant) and type(key.value) is int and key.value >= 0:
                return _place(*_up(place, key.value + 1))
        return None

    def place(self, node):
        """(anchored, depth) of the file-system place `node` names, when the scan can tell."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return _text_place(node.value)
        return _read_place(self.resolve(node))

    def _call_place(self, func, node):
        """The place a call returns: os.getcwd(), Path(...), os.path.dirname(...), p.resolve() ..."""
        if not func:
            return None
        func = _posix(func)
        if func in PATH_CWD:
            return True, 0
        owner, _, method = func.rpartition(".")
        place = _read_place(owner)
        if place is None and func not in PATH_CLASSES and not func.startswith("os.path."):
            return None  # not a path function: its arguments need no look
        args = [self.place(arg) for arg in node.args]
        if func in PATH_CLASSES:
            return _join((False, 0), args)
        first = args[0] if args else None
        if func == "os.path.join":
            return _join(first, args[1:])
        if func in ("os.path.abspath", "os.path.realpath"):
            return (True, first[1]) if first else None
        if func == "os.path.normpath":
            return first
        if func == "os.path.dirname":
            return _up(first) if first else None
        if place is None:
            return None
        if method in ("resolve", "absolute"):
            return True, place[1]
        if method in ("expanduser", "with_name", "with_suffix", "with_stem"):
            return place
        if method == "joinpath":
            return _join(place, args)
        return None

    @property
    def top_level(self):
        return len(self.scopes) == 1

    def bind(self, name, node, value_path=None, imported=None):
        """Record a binding of `name`: check for shadowing, then keep the alias table right."""
        module_level = self.top_level or name in self.globals_decl[-1]
        if module_level and name in self.ref.protected:
            expected = self.ref.imports.get(name, DEFAULT_ALIASES.get(name))
            if imported is None or imported != expected:
                self.report(node, "shadow", f"rebinds {self.ref.protected[name]}")
        scope = self.scopes[0] if module_level else self.scopes[-1]
        target = imported or value_path
        if target and (imported or _tracked(target)):
            scope[name] = target
        elif module_level and name in self.ref.protected:
            pass  # keep treating a rebound course name as what the tests expect (flagged above)
        else:
            scope[name] = None  # now a learner's own object

    # -- imports
    def visit_Import(self, node):
        for alias in node.names:
            self._check_import(node, alias.name)
            if alias.asname:
                self.bind(alias.asname, node, imported=alias.name)
            else:
                top = alias.name.split(".")[0]
                self.bind(top, node, imported=top)

    def visit_ImportFrom(self, node):
        module = node.module or ""
        if node.level:
            module = ""
        self._check_import(node, module)
        for alias in node.names:
            if alias.name == "*":
                if _protected_path(module):
                    self.report(node, "shadow", f"`from {module} import *` can rebind names "
                                                "the tests rely on")
                continue
            full = f"{module}.{alias.name}" if module else alias.name
            self._check_import(node, full)
            self.bind(alias.asname or alias.name, node, imported=full)

    def _check_import(self, node, module):
        if module == "ctypes" or module.startswith("ctypes."):
            self.report(node, "ctypes", f"imports {module}")
        self._reaches(node, module, "imports")

    # -- bindings and patches
    def visit_Assign(self, node):
        value_path = self.resolve(node.value)
        for target in node.targets:
            self._target(target, node, value_path)
        self.visit(node.value)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self._target(node.target, node, self.resolve(node.value))
            self.visit(node.value)

    def visit_AugAssign(self, node):
        self._target(node.target, node, None, verb="changes")
        self.visit(node.value)

    def visit_Delete(self, node):
        for target in node.targets:
            self._target(target, node, None, verb="deletes")

    def visit_NamedExpr(self, node):
        self._target(node.target, node, self.resolve(node.value))
        self.visit(node.value)

    def _target(self, target, node, value_path, verb="replaces"):
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._target(elt, node, None, verb)
        elif isinstance(target, ast.Starred):
            self._target(target.value, node, None, verb)
        elif isinstance(target, ast.Name):
            if verb == "deletes" and (self.top_level or target.id in self.globals_decl[-1]) \
                    and target.id in self.ref.protected:
                self.report(node, "shadow", f"deletes {self.ref.protected[target.id]}")
                return
            self.bind(target.id, node, value_path=value_path)
        elif isinstance(target, ast.Attribute):
            base = self.resolve(target.value)
            self._attribute_write(node, base, target.attr, verb, _dotted(target))
            if base:
                self._reaches(target, f"{base}.{target.attr}", verb)
            self.visit(target.value)
        elif isinstance(target, ast.Subscript):
            base = self.resolve(target.value)
            key = target.slice
            keytext = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
            shown = _dotted(target.value) or "an object"
            if base == "sys.modules":
                self.report(node, "patch", f"{verb} an entry of sys.modules"
                            + (f" ({keytext!r})" if keytext else ""))
            elif base and base.endswith(".__dict__") and _protected_path(base[: -len(".__dict__")]):
                owner = base[: -len(".__dict__")]
                self.report(node, "patch", f"{verb} {owner}.{keytext or '...'} through its __dict__")
            elif base and _protected_path(base):
                self.report(node, "patch", f"{verb} an element of {shown} ({_describe(base)})")
            elif isinstance(target.value, ast.Call) and self._is_globals(target.value):
                if keytext in self.ref.protected:
                    self.report(node, "shadow", f"rebinds {self.ref.protected[keytext]} through globals()")
                elif keytext is None:
                    self.report(node, "dynamic", "writes to globals() under a computed name")
            self.visit(target.value)
            self.visit(target.slice)

    def _is_globals(self, call):
        """A call of globals() (or vars()/locals() at the top level, which are the same dict)."""
        func = self.resolve(call.func)
        return func == "builtins.globals" or (
            func in ("builtins.vars", "builtins.locals") and not call.args and self.top_level)

    def _attribute_write(self, node, base, attr, verb, shown):
        if not base:
            return
        if _protected_path(base):
            self.report(node, "patch", f"{verb} {shown} ({_describe(base + '.' + attr)})")
        elif base == "sys" or base.startswith("sys."):
            self.report(node, "kernel", f"{verb} {shown}")
        elif base == SHELL or base.startswith(SHELL + "."):
            self.report(node, "kernel", f"{verb} {shown} on the IPython shell")
        elif base in ("os", "signal") or base.startswith("os."):
            self.report(node, "kernel", f"{verb} {shown}")

    # -- scopes
    def visit_FunctionDef(self, node):
        for deco in node.decorator_list:
            self.visit(deco)
        self.visit(node.args)
        if node.returns:
            self.visit(node.returns)
        self.bind(node.name, node)
        self.scopes.append({})
        self.globals_decl.append({n for sub in ast.walk(node) if isinstance(sub, ast.Global)
                                  for n in sub.names})
        for stmt in node.body:
            self.visit(stmt)
        self.scopes.pop()
        self.globals_decl.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self.visit(node.args)
        self.scopes.append({})
        self.globals_decl.append(set())
        self.visit(node.body)
        self.scopes.pop()
        self.globals_decl.pop()

    def visit_ClassDef(self, node):
        for item in node.decorator_list + node.bases + [k.value for k in node.keywords]:
            self.visit(item)
        self.bind(node.name, node)
        self.scopes.append({})
        self.globals_decl.append(set())
        for stmt in node.body:
            self.visit(stmt)
        self.scopes.pop()
        self.globals_decl.pop()

    def visit_For(self, node):
        self._target(node.target, node, None)
        self.visit(node.iter)
        for stmt in node.body + node.orelse:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_With(self, node):
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._target(item.optional_vars, node, None)
        for stmt in node.body:
            self.visit(stmt)

    visit_AsyncWith = visit_With

    def _comprehension(self, node):
        self.scopes.append({})
        self.globals_decl.append(set())
        for gen in node.generators:
            self.visit(gen.iter)
            for cond in gen.ifs:
                self.visit(cond)
        for field in ("elt", "key", "value"):
            if getattr(node, field, None) is not None:
                self.visit(getattr(node, field))
        self.scopes.pop()
        self.globals_decl.pop()

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    # -- exceptions
    def visit_Try(self, node):
        for handler in node.handlers:
            caught = handler.type
            names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
            for item in names:
                path = self.resolve(item) if item is not None else None
                if path in ("builtins.KeyboardInterrupt", "builtins.BaseException", "builtins.SystemExit"):
                    self.report(handler, "kernel", f"catches {path.split('.')[-1]}: an endless loop "
                                "inside cannot be interrupted by the grader's timeout"
                                if path != "builtins.SystemExit" else "catches SystemExit")
            if handler.name:
                self.bind(handler.name, handler)
        self.generic_visit(node)

    visit_TryStar = visit_Try

    def visit_Raise(self, node):
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if exc is not None and self.resolve(exc) == "builtins.SystemExit":
            self.report(node, "exit", "raises SystemExit")
        self.generic_visit(node)

    # -- calls
    def visit_Call(self, node):
        func = self.resolve(node.func)
        args = node.args
        first = self.resolve(args[0]) if args else None
        if func:
            self._call(node, func, args, first)
            self._outside(node, func)
        elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call) \
                and self._is_globals(node.func.value) \
                and node.func.attr in ("update", "__setitem__", "setdefault", "pop", "__delitem__"):
            self.report(node, "dynamic", f"changes globals() with .{node.func.attr}(): "
                                         "the scan cannot tell which names it rebinds")
        self.generic_visit(node)

    def _call(self, node, func, args, first):
        name = _dotted(node.func) or func
        last = func.rsplit(".", 1)[-1]
        owner = func.rsplit(".", 1)[0] if "." in func else ""
        if func in EXIT_CALLS:
            self.report(node, "exit", f"calls {name}")
        elif func in KERNEL_CALLS:
            self.report(node, "kernel", f"calls {name}")
        elif func in SHELL_CALLS or func.startswith(SHELL_PREFIXES):
            self.report(node, "shell", f"runs a command with {name}")
        elif func in DYNAMIC_CALLS:
            self.report(node, "dynamic", f"calls {last}(): the scan cannot see the code it runs")
        elif func in IMPORT_CALLS:
            arg = args[0] if args else None
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                self.report(node, "dynamic", f"imports a module by a computed name with {name}")
            else:
                self._check_import(node, arg.value)
        elif func in PATCH_CALLS or func in ("builtins.object.__setattr__", "builtins.type.__setattr__",
                                             "builtins.object.__delattr__", "builtins.type.__delattr__"):
            if first and (_protected_path(first) or first == "sys" or first.startswith(("sys.", SHELL))):
                attr = args[1].value if len(args) > 1 and isinstance(args[1], ast.Constant) else "..."
                kind = "patch" if _protected_path(first) else "kernel"
                self.report(node, kind, f"{last}() on {_dotted(args[0]) or first}.{attr}")
        elif last in ("__setattr__", "__delattr__") and _protected_path(owner):
            self.report(node, "patch", f"calls {name}")
        elif func == "builtins.open" and args:
            self._open(node, args)
        elif func.startswith(("unittest.mock.", "mock.")) and last in ("patch", "object", "dict", "multiple"):
            self._mock(node, func, args, first)
        elif func.startswith(SHELL + "."):
            self._shell_call(node, func[len(SHELL) + 1:], args)
        elif owner == "sys.modules" and last in SYS_MUTATORS:
            self.report(node, "patch", f"changes sys.modules with {name}()")
        elif owner in ("sys.path", "sys.meta_path", "sys.path_hooks") and last in SYS_MUTATORS:
            self.report(node, "kernel", f"changes where Python imports from with {name}()")
        elif owner.endswith(".__dict__") and last in SYS_MUTATORS \
                and _protected_path(owner[: -len(".__dict__")]):
            self.report(node, "patch", f"changes {owner[: -len('.__dict__')]} with {name}()")
        elif last == "reload" and func.startswith("importlib") and first and _protected_path(first):
            self.report(node, "patch", f"reloads {first}")

    def _open(self, node, args):
        path = args[0]
        mode = args[1] if len(args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
        mode_text = mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else "r"
        writes = any(c in mode_text for c in "wax+")
        if isinstance(path, ast.Constant) and isinstance(path.value, str) and writes:
            if path.value.endswith(IMPORTABLE_SUFFIXES) or Path(path.value).stem in IMPORTABLE_STEMS:
                self.report(node, "shell", f"writes the Python file {path.value!r}")

    def _mock(self, node, func, args, first):
        target = args[0] if args else None
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            if _protected_path(target.value):
                self.report(node, "patch", f"patches {target.value} with {func.split('.')[-1]}()")
        elif first and _protected_path(first):
            self.report(node, "patch", f"patches {_dotted(target) or first} with {func.split('.')[-1]}()")

    def _shell_call(self, node, method, args):
        texts = [_text(arg.value) if isinstance(arg, ast.Constant) else None for arg in args[:2]]
        magic, line = (texts + [None, None])[:2]
        if method == "magic" and magic:  # the old spelling: magic("cd ..")
            magic, _, line = magic.partition(" ")
        if method in ("system", "getoutput"):
            self.report(node, "shell", "runs a shell command (!...)")
        elif method in ("run_line_magic", "magic"):
            if magic in SHELL_LINE_MAGICS:
                self.report(node, "shell", f"uses the %{magic} magic")
            elif magic in REACH_LINE_MAGICS:
                self._reached(node, REACH_LINE_MAGICS[magic], f"%{magic}", f"uses the %{magic} magic")
            elif magic in ("cd", "pushd") and _leaves_folder(line):
                self._reached(node, "path", f"%{magic}", f"uses %{magic} {line or ''}".rstrip())
        elif method == "run_cell_magic":
            self.report(node, "shell", f"uses the %%{magic} cell magic")
        elif method not in SHELL_SAFE_ATTRS:
            self.report(node, "kernel", f"calls get_ipython().{method}")

    def visit_Attribute(self, node):
        base = self.resolve(node.value)
        if base == SHELL and node.attr not in SHELL_SAFE_ATTRS:
            self.report(node, "kernel", f"uses get_ipython().{node.attr}")
        place, path = _read_place(base), self.resolve(node)
        if node.attr == "parent":
            self._walks_up(node, place, _read_place(path))
        elif node.attr == "parents" and place and place[0]:
            # every absolute path's parents end at the root
            self._reached(node, "path", ".parents", _short(ast.unparse(node)))
        self._reaches(node, path, "uses")
        self.generic_visit(node)

    # -- reaching outside the notebook's folder
    def _reached(self, node, kind, what, shown):
        """Report `shown` (what the cell says) as reaching outside, once per cell for `what`."""
        if (kind, what) not in self.reached:
            self.reached.add((kind, what))
            self.report(node, kind, f"{shown}: {REACH_WHY[kind]}")

    def _reaches(self, node, path, verb):
        found = _reach(path)
        if found:
            written = _dotted(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
            shown = f"{written} ({path})" if written and written != path else path
            self._reached(node, found[0], found[1], f"{verb} {shown}")

    def _walks_up(self, node, before, after):
        """Flag the step at which an absolute path walks up out of the notebook's folder."""
        if before and after and before[0] and before[1] >= 0 > after[1]:
            self._reached(node, "path", ast.unparse(node), _short(ast.unparse(node)))

    def _outside(self, node, func):
        """Flags for a call that names a place outside the folder or a URL."""
        name = _dotted(node.func) or _short(ast.unparse(node.func))
        func = _posix(func)
        if func in PATH_HOME:
            self._reached(node, "path", "~", f"{name}() is the home directory")
        elif func == "os.path.dirname" and node.args:
            self._walks_up(node, self.place(node.args[0]), self._call_place(func, node))
        if not _takes_paths(func):
            return
        alone = len(node.args) + len(node.keywords) == 1
        for arg in node.args + [k.value for k in node.keywords if k.arg in PATH_KEYWORDS]:
            text = _leading_text(arg)
            if text is None:
                continue
            written = _short(ast.unparse(arg))
            shown = f"{name}({written})" if alone else f"{name}() with {written}"
            if text.startswith(URL_SCHEMES):
                self._reached(node, "network", text, shown)
            elif text.startswith(("/", "~")):
                self._reached(node, "path", text, shown)

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self._reaches(node, self.lookup(node.id), "uses")

    def visit_Subscript(self, node):
        value = node.value
        if not (isinstance(value, ast.Attribute) and value.attr == "parents"):
            self.generic_visit(node)
            return
        before = self.place(value.value)
        after = _read_place(self.resolve(node))
        if before and before[0] and after is None:  # a slice, a negative or a computed index
            self._reached(node, "path", ".parents", _short(ast.unparse(node)))
        else:
            self._walks_up(node, before, after)
        self.visit(value.value)
        self.visit(node.slice)

    def visit_BinOp(self, node):
        text = _leading_text(node.right) if isinstance(node.op, ast.Div) else None
        if text and text.startswith(("/", "~")) and _read_place(self.resolve(node.left)):
            self._reached(node, "path", text, _short(ast.unparse(node)))
        self.generic_visit(node)

    def visit_Constant(self, node):
        text = _text(node.value)
        if text is None:
            return
        if ".." in text.split("/"):
            self._reached(node, "path", text, f"the path {_short(repr(text))}")
        if text == "/proc" or text.startswith("/proc/"):
            self._reached(node, "system", "/proc", f"the path {_short(repr(text))}")


WATCHED_MODULES = frozenset((
    "sys", "os", "posix", "signal", "ctypes", "subprocess", "importlib", "unittest", "mock",
    "threading", "_thread", "pty", "faulthandler", "atexit", "gc", "posixpath",
    *(path.split(".")[0] for path in (*REACH, *NETWORK_NAME_PREFIXES, *PATH_CALLS, *PATH_PREFIXES))))


def _tracked(path):
    """Whether an alias to `path` matters to the scan (modules it watches, the shell, places)."""
    return _protected_path(path) or path.split(".")[0] in WATCHED_MODULES \
        or path.startswith(("IPython:", PLACE))


def _describe(path):
    if path.startswith("@"):
        return f"{path[1:]}, a value the tests use"
    return path


# ----------------------------------------------------------------------- notebook scan

def scan_notebook(nb, ref, student="?", label=None):
    """Flags for one submitted notebook (a dict) against its reference."""
    label = label or f"{ref.assignment}/{ref.notebook}"
    flags = []

    def add(cell, line, kind, message):
        flags.append(Flag(student, label, cell, line, kind, message))

    cells = nb.get("cells", [])
    seen = {}
    for index, cell in enumerate(cells):
        gid = _nbg(cell).get("grade_id")
        if gid:
            seen.setdefault(gid, []).append(index)

    # 1. metadata and cells compared with the reference
    for gid, indices in seen.items():
        first = cells[indices[0]]
        if len(indices) > 1:
            add(_cell_label(indices[1], cells[indices[1]]), None, "metadata",
                f"grade_id {gid!r} appears {len(indices)} times (cells "
                + ", ".join(str(i + 1) for i in indices) + ")")
        ref_cell = ref.by_grade_id.get(gid)
        if ref_cell is None:
            add(_cell_label(indices[0], first), None, "metadata",
                f"grade_id {gid!r} is not in the assignment")
            continue
        for problem in _metadata_changes(ref_cell, first):
            add(_cell_label(indices[0], first), None, "metadata", problem)
        if _nbg(ref_cell).get("locked") and first.get("cell_type") == ref_cell.get("cell_type"):
            line = _first_difference(_source(ref_cell), _source(first))
            if line is not None:
                what = "test cell" if _is_test(ref_cell) else "locked cell"
                add(_cell_label(indices[0], first), line, "edited",
                    f"the code of the {what} {gid!r} was changed (nbgrader restores it when grading)")

    by_id = {cell.get("id"): (i, cell) for i, cell in enumerate(cells) if cell.get("id")}
    for gid, ref_cell in ref.by_grade_id.items():
        m = _nbg(ref_cell)
        if gid in seen or not (m.get("grade") or m.get("locked")):
            continue
        twin = by_id.get(ref_cell.get("id"))
        if twin is not None and ref_cell.get("id"):
            add(_cell_label(*twin), None, "metadata",
                f"the nbgrader metadata of {gid!r} was removed or its grade_id changed")
        else:
            what = "graded test cell" if m.get("grade") else "locked cell"
            points = f" ({m.get('points')} points)" if m.get("grade") else ""
            add("-", None, "removed", f"the {what} {gid!r}{points} was deleted")

    # 2. the code learners wrote or changed
    env = dict(ref.aliases)
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        m = _nbg(cell)
        ref_cell = ref.by_grade_id.get(m.get("grade_id")) if m.get("grade_id") else None
        if ref_cell is not None and _nbg(ref_cell).get("locked"):
            continue  # nbgrader replaces locked cells with the release version when grading
        text = _source(cell)
        if not _is_answer(cell) and _norm(_strip_hidden(text)) in ref.course_sources:
            continue  # an unchanged course cell
        where = _cell_label(index, cell)
        tree, offset, magic = parse_cell(text)
        if magic is not None and magic not in PYTHON_CELL_MAGICS:
            if magic not in DISPLAY_CELL_MAGICS:
                add(where, 1 + offset, "shell", f"uses the %%{magic} cell magic")
            continue
        if tree is None:
            continue  # a syntax error: the kernel cannot run this cell either

        def report(node, kind, message, where=where, offset=offset):
            add(where, getattr(node, "lineno", 1) + offset, kind, message)

        scanner = _CellScanner(ref, env, report)
        for stmt in tree.body:
            scanner.visit(stmt)
    return _dedupe(flags)


def _dedupe(flags):
    out, seen = [], set()
    for flag in flags:
        key = (flag.cell, flag.line, flag.kind, flag.message)
        if key not in seen:
            seen.add(key)
            out.append(flag)
    return out


def _metadata_changes(ref_cell, cell):
    ref_m, m = _nbg(ref_cell), _nbg(cell)
    problems = []
    if cell.get("cell_type") != ref_cell.get("cell_type"):
        problems.append(f"cell type changed from {ref_cell.get('cell_type')} to {cell.get('cell_type')}")
    for key in ("grade", "solution", "locked", "task"):
        if bool(ref_m.get(key)) != bool(m.get(key)):
            problems.append(f"nbgrader {key!r} changed from {bool(ref_m.get(key))} to {bool(m.get(key))}")
    if ref_m.get("grade"):
        try:
            same = float(m.get("points")) == float(ref_m.get("points"))
        except (TypeError, ValueError):
            same = False
        if not same:
            problems.append(f"points changed from {ref_m.get('points')} to {m.get('points')!r}")
    return problems


def _first_difference(ref_text, text):
    """1-based line of the first difference between the released and the submitted source."""
    released, full = _norm(_strip_hidden(ref_text)), _norm(ref_text)
    got = _norm(text)
    if got in (released, full):
        return None
    want = _strip_hidden(ref_text).split("\n")
    have = text.split("\n")
    for i, (a, b) in enumerate(zip(want, have)):
        if a.rstrip() != b.rstrip():
            return i + 1
    return min(len(want), len(have)) + 1


# ----------------------------------------------------------------------- submissions

def extra_files(directory, notebooks):
    """Files (relative paths) in a submission that Python could import from the grading directory.

    Python puts the kernel's working directory first on sys.path, so a ``numpy.py`` or an
    ``nnlib/`` package handed in next to the notebook would replace the real module.
    """
    directory = Path(directory)
    found, packages = [], []
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if any(part in (".ipynb_checkpoints", "__pycache__") for part in rel.parts):
            continue
        if any(rel.parts[: len(pkg.parts)] == pkg.parts for pkg in packages):
            continue  # inside a package reported already
        if path.is_dir():
            if (path / "__init__.py").is_file():
                packages.append(rel)
                found.append(f"{rel}/")
        elif path.name not in notebooks and (
                path.suffix in IMPORTABLE_SUFFIXES or path.stem.split(".")[0] in IMPORTABLE_STEMS):
            found.append(str(rel))
    return found


def scan_submission(directory, references, student, assignment):
    """(flags, problems) for submitted/<student>/<assignment>/.

    ``references`` maps notebook file names to their Reference. ``problems`` lists
    notebooks that are missing or unreadable (reported by autograde, not flags).
    """
    directory = Path(directory)
    flags, problems = [], []
    for name, ref in references.items():
        label = f"{assignment}/{name}"
        path = directory / name
        if not path.is_file():
            problems.append((label, "missing"))
            continue
        try:
            nb = read_notebook(path)
        except ValueError as exc:
            problems.append((label, str(exc)))
            continue
        flags.extend(scan_notebook(nb, ref, student, label))
    for rel in extra_files(directory, set(references)):
        flags.append(Flag(student, f"{assignment}/{rel}", "-", None, "extra",
                          f"extra file {rel} could be imported instead of a course module "
                          "(make autograde does not copy it into the grading directory)"))
    return flags, problems


def load_references(source_root, assignments):
    """{assignment: {notebook name: Reference}} from solutions/<id>/*.ipynb."""
    out = {}
    for aid in assignments:
        folder = Path(source_root) / aid
        refs = {}
        for path in sorted(folder.glob("*.ipynb")):
            refs[path.name] = Reference.from_path(path, aid)
        if refs:
            out[aid] = refs
    return out


def scan_course(root, assignments=None, students=None, source_dir="solutions",
                submitted_dir="submitted"):
    """Scan every submission under ``root/submitted``.

    Returns (flags, problems, scanned) where problems are (student, notebook, text)
    and scanned counts the (student, assignment) pairs read.
    """
    root = Path(root)
    if assignments is None:
        assignments = sorted(p.name for p in (root / source_dir).iterdir() if p.is_dir())
    references = load_references(root / source_dir, assignments)
    flags, problems, scanned = [], [], 0
    sub_root = root / submitted_dir
    if not sub_root.is_dir():
        return flags, problems, scanned
    for student_dir in sorted(p for p in sub_root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if students and student_dir.name not in students:
            continue
        for aid, refs in references.items():
            folder = student_dir / aid
            if not folder.is_dir():
                continue
            scanned += 1
            f, p = scan_submission(folder, refs, student_dir.name, aid)
            flags.extend(f)
            problems.extend((student_dir.name, label, text) for label, text in p)
    return flags, problems, scanned

