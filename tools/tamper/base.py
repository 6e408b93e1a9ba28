"""The base of the cell scanner: scopes, what names and expressions refer to, shared reports.

The scanner follows aliases through a cell (``x = np.testing``, ``from os import
environ as env``), so that a check sees the dotted path an expression stands for
('numpy.testing', '@REF' for a value the tests use, 'IPython:shell' for
``get_ipython()``, a place for a path). The checks themselves are mixins, one module
each (bindings, calls, reach); what more than one of them reports is here.
"""
import ast
from contextlib import contextmanager

from nncourse.protection import DEFAULT_ALIASES

from .parsing import dotted
from .places import PLACE, join, place_path, posix, read_place, short, text_place, up
from .tables import (BUILTIN_NAMES, IMPORT_CALLS, PATH_CLASSES, PATH_CWD, REACH_WHY, SHELL,
                     WATCHED_MODULES, is_protected, reach)


def tracked(path):
    """Whether an alias to `path` matters to the scan (modules it watches, the shell, places)."""
    return is_protected(path) or path.split(".")[0] in WATCHED_MODULES \
        or path.startswith(("IPython:", PLACE))


class ScannerBase(ast.NodeVisitor):
    """One cell's scopes and aliases; `report(node, kind, message)` records a flag at the node's line."""

    def __init__(self, ref, env, report):
        self.ref = ref
        self.scopes = [env]          # env: notebook-wide aliases; later dicts: function scopes
        self.globals_decl = [set()]
        self.report = report
        self.reached = set()         # (kind, what) reported in this cell: one flag each

    # -- scopes and bindings
    @property
    def top_level(self):
        return len(self.scopes) == 1

    def module_level(self, name):
        """Whether binding `name` here binds it in the notebook (top level, or declared global)."""
        return self.top_level or name in self.globals_decl[-1]

    @contextmanager
    def scope(self, declared_global=frozenset()):
        """A function, class, lambda or comprehension body, with the names it declares global."""
        self.scopes.append({})
        self.globals_decl.append(declared_global)
        try:
            yield
        finally:
            self.scopes.pop()
            self.globals_decl.pop()

    def bind(self, name, node, value_path=None, imported=None):
        """Record a binding of `name`: check for shadowing, then keep the alias table right."""
        module_level = self.module_level(name)
        if module_level and name in self.ref.protected:
            expected = self.ref.imports.get(name, DEFAULT_ALIASES.get(name))
            if imported is None or imported != expected:
                self.report(node, "shadow", f"rebinds {self.ref.protected[name]}")
        scope = self.scopes[0] if module_level else self.scopes[-1]
        target = imported or value_path
        if target and (imported or tracked(target)):
            scope[name] = target
        elif module_level and name in self.ref.protected:
            pass  # keep treating a rebound course name as what the tests expect (flagged above)
        else:
            scope[name] = None  # now a learner's own object

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
            place = read_place(base)
            if place and node.attr == "parent":
                return place_path(*up(place))
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            left = read_place(self.resolve(node.left))
            place = join(left, [self.place(node.right)]) if left else None
            return place_path(*place) if place else None
        if isinstance(node, ast.Call):
            func = self.resolve(node.func)
            place = self._call_place(func, node)
            if place:
                return place_path(*place)
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
            place = read_place(base[: -len(".parents")]) if base and base.endswith(".parents") else None
            if place and isinstance(key, ast.Constant) and type(key.value) is int and key.value >= 0:
                return place_path(*up(place, key.value + 1))
        return None

    def place(self, node):
        """(anchored, depth) of the file-system place `node` names, when the scan can tell."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return text_place(node.value)
        return read_place(self.resolve(node))

    def _call_place(self, func, node):
        """The place a call returns: os.getcwd(), Path(...), os.path.dirname(...), p.resolve() ..."""
        if not func:
            return None
        func = posix(func)
        if func in PATH_CWD:
            return True, 0
        owner, _, method = func.rpartition(".")
        place = read_place(owner)
        if place is None and func not in PATH_CLASSES and not func.startswith("os.path."):
            return None  # not a path function: its arguments need no look
        args = [self.place(arg) for arg in node.args]
        if func in PATH_CLASSES:
            return join((False, 0), args)
        first = args[0] if args else None
        if func == "os.path.join":
            return join(first, args[1:])
        if func in ("os.path.abspath", "os.path.realpath"):
            return (True, first[1]) if first else None
        if func == "os.path.normpath":
            return first
        if func == "os.path.dirname":
            return up(first) if first else None
        if place is None:
            return None
        if method in ("resolve", "absolute"):
            return True, place[1]
        if method in ("expanduser", "with_name", "with_suffix", "with_stem"):
            return place
        if method == "joinpath":
            return join(place, args)
        return None

    def _is_globals(self, call):
        """A call of globals() (or vars()/locals() at the top level, which are the same dict)."""
        func = self.resolve(call.func)
        return func == "builtins.globals" or (
            func in ("builtins.vars", "builtins.locals") and not call.args and self.top_level)

    # -- reports more than one check makes
    def _check_import(self, node, module):
        if module == "ctypes" or module.startswith("ctypes."):
            self.report(node, "ctypes", f"imports {module}")
        self._reaches(node, module, "imports")

    def _reached(self, node, kind, what, shown):
        """Report `shown` (what the cell says) as reaching outside, once per cell for `what`."""
        if (kind, what) not in self.reached:
            self.reached.add((kind, what))
            self.report(node, kind, f"{shown}: {REACH_WHY[kind]}")

    def _reaches(self, node, path, verb):
        found = reach(path)
        if found:
            written = dotted(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
            shown = f"{written} ({path})" if written and written != path else path
            self._reached(node, found[0], found[1], f"{verb} {shown}")

    def _walks_up(self, node, before, after):
        """Flag the step at which an absolute path walks up out of the notebook's folder."""
        if before and after and before[0] and before[1] >= 0 > after[1]:
            self._reached(node, "path", ast.unparse(node), short(ast.unparse(node)))
