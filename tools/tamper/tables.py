"""What the scan looks for: the calls, modules, magics and files it flags, and why.

The tables hold dotted paths, what code refers to once aliases are resolved
(``os.environ`` for ``from os import environ as env; env``).
"""
import builtins

from nncourse.protection import is_protected_module

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

# Line magics by what they reach: ones that run commands or files, and the rest.
SHELL_LINE_MAGICS = {"sx", "system", "sc", "bash", "sh", "run", "load", "writefile", "alias",
                     "store", "reset", "xdel", "autocall", "killbgscripts", "save", "edit"}
REACH_LINE_MAGICS = {"env": "system", "set_env": "system", "pip": "network", "conda": "network",
                     "mamba": "network", "micromamba": "network"}

BUILTIN_NAMES = frozenset(dir(builtins))

# Modules whose aliases the scan follows; other names are the learner's own objects.
WATCHED_MODULES = frozenset((
    "sys", "os", "posix", "signal", "ctypes", "subprocess", "importlib", "unittest", "mock",
    "threading", "_thread", "pty", "faulthandler", "atexit", "gc", "posixpath",
    *(path.split(".")[0] for path in (*REACH, *NETWORK_NAME_PREFIXES, *PATH_CALLS, *PATH_PREFIXES))))


def is_protected(path):
    """Whether a dotted path is something the tests rely on: a protected module or a course value ('@REF')."""
    return bool(path) and (path.startswith("@") or is_protected_module(path))


def reach(path):
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
