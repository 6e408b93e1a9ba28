"""Cell scanner checks of what code calls and raises: exits, shells, patches, the kernel, paths.

A mixin for :class:`~tools.tamper.base.ScannerBase`. Calls are matched by the dotted
path of the function called, so ``from os import _exit as quit_; quit_(1)`` is
``os._exit`` all the same.
"""
import ast
from pathlib import Path

from nncourse.protection import SHELL_SAFE_ATTRS

from .parsing import dotted
from .places import leading_text, leaves_folder, posix, short, takes_paths, text_of
from .tables import (DYNAMIC_CALLS, EXIT_CALLS, IMPORT_CALLS, IMPORTABLE_STEMS, IMPORTABLE_SUFFIXES,
                     KERNEL_CALLS, PATCH_CALLS, PATH_HOME, PATH_KEYWORDS, REACH_LINE_MAGICS, SHELL,
                     SHELL_CALLS, SHELL_LINE_MAGICS, SHELL_PREFIXES, SYS_MUTATORS, URL_SCHEMES,
                     is_protected)


class CallChecks:
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
        name = dotted(node.func) or func
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
            if first and (is_protected(first) or first == "sys" or first.startswith(("sys.", SHELL))):
                attr = args[1].value if len(args) > 1 and isinstance(args[1], ast.Constant) else "..."
                kind = "patch" if is_protected(first) else "kernel"
                self.report(node, kind, f"{last}() on {dotted(args[0]) or first}.{attr}")
        elif last in ("__setattr__", "__delattr__") and is_protected(owner):
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
                and is_protected(owner[: -len(".__dict__")]):
            self.report(node, "patch", f"changes {owner[: -len('.__dict__')]} with {name}()")
        elif last == "reload" and func.startswith("importlib") and first and is_protected(first):
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
            if is_protected(target.value):
                self.report(node, "patch", f"patches {target.value} with {func.split('.')[-1]}()")
        elif first and is_protected(first):
            self.report(node, "patch", f"patches {dotted(target) or first} with {func.split('.')[-1]}()")

    def _shell_call(self, node, method, args):
        texts = [text_of(arg.value) if isinstance(arg, ast.Constant) else None for arg in args[:2]]
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
            elif magic in ("cd", "pushd") and leaves_folder(line):
                self._reached(node, "path", f"%{magic}", f"uses %{magic} {line or ''}".rstrip())
        elif method == "run_cell_magic":
            self.report(node, "shell", f"uses the %%{magic} cell magic")
        elif method not in SHELL_SAFE_ATTRS:
            self.report(node, "kernel", f"calls get_ipython().{method}")

    def _outside(self, node, func):
        """Flags for a call that names a place outside the folder or a URL."""
        name = dotted(node.func) or short(ast.unparse(node.func))
        func = posix(func)
        if func in PATH_HOME:
            self._reached(node, "path", "~", f"{name}() is the home directory")
        elif func == "os.path.dirname" and node.args:
            self._walks_up(node, self.place(node.args[0]), self._call_place(func, node))
        if not takes_paths(func):
            return
        alone = len(node.args) + len(node.keywords) == 1
        for arg in node.args + [k.value for k in node.keywords if k.arg in PATH_KEYWORDS]:
            text = leading_text(arg)
            if text is None:
                continue
            written = short(ast.unparse(arg))
            shown = f"{name}({written})" if alone else f"{name}() with {written}"
            if text.startswith(URL_SCHEMES):
                self._reached(node, "network", text, shown)
            elif text.startswith(("/", "~")):
                self._reached(node, "path", text, shown)
