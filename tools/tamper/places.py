"""Places in the file system that a cell names, followed through its code.

A place is (anchored, depth): whether the path is absolute, known from the working
directory (the notebook's folder when it is graded), and how many folders below that
folder it names. Only an absolute path leaves the folder by walking up: a relative
one stops at "." (PurePath("a").parent.parent is "."); a ".." in a literal is flagged
where it is written. While the scanner resolves names, a place travels as the pseudo
path that :func:`place_path` makes of it.
"""
import ast

from .tables import OS_PATH_FUNCTIONS, PATH_CALLS, PATH_METHODS, PATH_PREFIXES

PLACE = "path:"


def place_path(anchored, depth):
    return f"{PLACE}{'a' if anchored else 'r'}{depth}"


def read_place(path):
    """(anchored, depth) of a pseudo path made by place_path, else None."""
    if path and path.startswith(PLACE) and "." not in path:
        return path[len(PLACE)] == "a", int(path[len(PLACE) + 1:])
    return None


def text_place(text):
    """The place a relative path literal names; None for an absolute path, ~ or a URL."""
    if text.startswith(("/", "~")) or "://" in text:
        return None
    depth = 0
    for part in text.split("/"):
        depth += -1 if part == ".." else part not in ("", ".")
    return False, depth


def up(place, steps=1):
    anchored, depth = place
    return anchored, depth - steps if anchored else max(depth - steps, 0)


def join(place, parts):
    """`place` joined with `parts` (places or None), as os.path.join and pathlib do it."""
    for part in parts:
        if place is None or part is None:
            return None
        place = part if part[0] else (place[0], place[1] + part[1])
    return place


def leaves_folder(magic_arg):
    """Whether `%cd <magic_arg>` goes somewhere the notebook's folder does not contain.

    No argument goes home; "-" and bookmarks go back to wherever; "$x" and "{x}" are
    expanded at run time. A ".." in the argument is flagged as a literal already.
    """
    arg = (magic_arg or "").strip()
    return not arg or arg.startswith(("/", "~", "-", "$", "{"))


def posix(func):
    """`func` with posix and posixpath spelled as os and os.path, the names the tables use."""
    for alias, name in (("posixpath.", "os.path."), ("posix.", "os.")):
        if func.startswith(alias):
            return name + func[len(alias):]
    return func


def takes_paths(func):
    """Whether the arguments of a call of `func` are file names."""
    owner, _, last = func.rpartition(".")
    return (func in PATH_CALLS or func.startswith(PATH_PREFIXES)
            or (owner == "os" and last in OS_PATH_FUNCTIONS)
            or (read_place(owner) is not None and last in PATH_METHODS))


def leading_text(node):
    """The literal text a string expression starts with ('/home/' for f"/home/{user}"), or None."""
    if isinstance(node, ast.Constant):
        return text_of(node.value)
    if isinstance(node, ast.JoinedStr) and node.values:
        return leading_text(node.values[0])
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return leading_text(node.left)
    return None


def text_of(value):
    """A str or bytes constant as text (None for other constants)."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else None


def short(text, limit=60):
    return text if len(text) <= limit else text[: limit - 3] + "..."
