"""The grading guard: no test passes on helpers that learner code replaced.

A notebook's locked setup cell ends with ``T.guard("np", "T", ...)``. From then on
the guard checks, before and after every cell, that nothing replaced what the tests
stand on (the policy of :mod:`nncourse.protection`): the functions of numpy, math
and the builtins, of nnlib and of the course package (these checks included), the
names listed (np, T, REF, ...) and IPython's error reporting. If something was, it
writes a message to stderr, which nbgrader scores as a failed test cell, and every
check raises. The numpy, math and builtins originals are captured when this module
is imported: in a graded notebook that is the setup cell, before any learner code.
"""
import ast
import builtins
import importlib
import linecache
import sys
import types

from . import _originals
from .feedback import fail
from .names import bound_names
from .protection import (CALLBACK_OWNERS, GUARDED_MODULES, IPYTHON_BUILTINS, SANDBOX_EXCEPTIONS,
                         SHELL_ATTRS)

__all__ = ["guard", "verify"]


def _callables(module, skip=()):
    """The functions, classes and submodules in a module's namespace."""
    return {key: value for key, value in vars(module).items()
            if key not in skip and (callable(value) or isinstance(value, types.ModuleType))}


_GUARDED = {label: importlib.import_module(name) for label, name in GUARDED_MODULES.items()}
_ORIGINALS = {label: _callables(module, IPYTHON_BUILTINS if module is builtins else ())
              for label, module in _GUARDED.items()}
# Checked for having been replaced before this module was imported.
_EARLY = {f"np.{name}": getattr(_GUARDED["np"], name) for name in
          ("allclose", "isclose", "array_equal", "asarray", "array", "isfinite")}
_MISSING = object()
_GUARD = None
_THIS = sys.modules[__name__]


def _ours(name):
    return name.split(".")[0] in ("nnlib", "nncourse")


def _label(module):
    """How a learner names a module: ``T`` for the checks they call, else its import path."""
    return "T" if module.__name__ == "nncourse.testing" else module.__name__


class _Guard:
    """What guard() protects, and the check of all of it."""

    def __init__(self):
        self.modules = dict(_GUARDED)
        self.originals = dict(_ORIGINALS)
        for name, module in list(sys.modules.items()):
            if _ours(name) and isinstance(module, types.ModuleType):
                self.modules[name] = module
                self.originals[name] = _callables(module)
        self.sys_modules = {module.__name__: module for module in self.modules.values()}
        # The course's own classes (Checks and the like): a replaced method hides a failure too.
        self.classes = {}
        facade = vars(sys.modules.get("nncourse.testing") or types)
        for name, module in self.modules.items():
            if name.startswith("nncourse"):
                for value in vars(module).values():
                    if isinstance(value, type) and value.__module__ == name:
                        shown = "T" if facade.get(value.__name__) is value else name
                        self.classes[value] = (f"{shown}.{value.__name__}", dict(vars(value)))
        self.namespace, self.names, self.arrays = None, {}, {}
        self.shell, self.shell_attrs, self.callbacks = None, {}, {}
        self.stderr = sys.stderr

    def protect(self, namespace, names):
        """Remember the current values of these names (and copies of arrays)."""
        self.namespace = namespace
        for name in names:
            if name in namespace and not name.startswith("_"):
                self.names[name] = namespace[name]
                if isinstance(namespace[name], _originals.ndarray):
                    self.arrays[name] = namespace[name].copy()

    def install(self, shell):
        """Check before and after every cell of this IPython shell."""
        if self.shell is shell:
            return
        self.shell = shell
        self.shell_attrs = {attr: vars(shell).get(attr, _MISSING) for attr in SHELL_ATTRS}
        for event in ("pre_execute", "pre_run_cell", "post_execute", "post_run_cell"):
            self.callbacks[event] = list(shell.events.callbacks.get(event, []))
        # Before the cell, so that the message precedes any result nbgrader could score.
        shell.events.register("pre_run_cell", self.report)
        shell.events.register("post_run_cell", self.report)

    def problems(self):
        """Everything that was changed, as short phrases ([] when nothing was)."""
        found = []
        for label, module in self.modules.items():
            now, shown = vars(module), _label(module) if _ours(label) else label
            for key, value in self.originals[label].items():
                current = now.get(key, _MISSING)
                if current is not value:
                    verb = "deleted" if current is _MISSING else "replaced"
                    found.append(f"{shown}.{key} was {verb}")
        if vars(_THIS).get("_GUARD") is not self:
            found.append("the grading guard was switched off")
        for name, module in self.sys_modules.items():
            if sys.modules.get(name) is not module:
                found.append(f"sys.modules[{name!r}] was replaced")
        for cls, (shown, before) in self.classes.items():
            for key, value in before.items():
                if vars(cls).get(key, _MISSING) is not value:
                    found.append(f"{shown}.{key} was replaced")
        for label, original in _EARLY.items():
            if not str(getattr(original, "__module__", "") or "").startswith("numpy"):
                found.append(f"{label} was replaced before the setup cell ran")
        if self.namespace is not None:
            for name, value in self.names.items():
                current = self.namespace.get(name, _MISSING)
                if current is not value:
                    found.append(f"{name} was {'deleted' if current is _MISSING else 'rebound'}")
                elif name in self.arrays and not _originals.array_equal(current, self.arrays[name]):
                    found.append(f"the values in {name} were changed")
        if self.shell is not None:
            found += self._shell_problems()
        return list(dict.fromkeys(found))

    def _shell_problems(self):
        shell, found = self.shell, []
        if tuple(getattr(shell, "custom_exceptions", ())) not in ((), SANDBOX_EXCEPTIONS):
            found.append("IPython's error display was replaced (set_custom_exc)")
        for attr, before in self.shell_attrs.items():
            if vars(shell).get(attr, _MISSING) is not before:
                found.append(f"get_ipython().{attr} was replaced")
        callbacks = getattr(getattr(shell, "events", None), "callbacks", {})
        for event, before in self.callbacks.items():
            for callback in callbacks.get(event, []):
                owner = getattr(callback, "__module__", "") or ""
                if callback not in before and callback != self.report \
                        and not owner.startswith(CALLBACK_OWNERS):
                    found.append(f"a {event} callback was registered")
        for event in ("pre_run_cell", "post_run_cell"):
            if self.report not in callbacks.get(event, []):
                found.append("the grading guard's callback was removed")
        return found

    def report(self, *args):
        """The IPython callback: write what was changed to stderr, which fails a test cell."""
        try:
            found = self.problems()
            if found:
                self.stderr.write(_tampered_message(found) + "\n")
                self.stderr.flush()
        except Exception:  # a fault in the guard must never fail a notebook by itself
            pass


def _tampered_message(found):
    return ("The grading helpers were modified, so no test can be trusted and every test cell from "
            f"here on scores 0: {'; '.join(found)}. Restart the kernel and remove the code that "
            "changes them.")


def verify():
    """Raise AssertionError when guard() is active and something it protects was changed."""
    __tracebackhide__ = True
    guard_ = _GUARD
    if guard_ is None:
        return
    try:
        found = guard_.problems()
    except Exception:  # a fault in the guard must never fail a check by itself
        return
    if found:
        fail(_tampered_message(found))


def _names_bound_by(frame):
    """Top-level names bound by the cell (or file) whose code runs in ``frame``."""
    try:
        return bound_names(ast.parse("".join(linecache.getlines(frame.f_code.co_filename))))
    except (SyntaxError, ValueError):
        return set()


def guard(*names):
    """Protect grading from the code that runs after this call (call it in a setup cell).

    In an IPython kernel (Jupyter, nbgrader) this protects ``names`` in the caller's
    namespace (by default every name the calling cell binds at its top level), the
    functions of numpy, math, the builtins, nnlib and the course package, and
    IPython's error display. Before and after every later cell it checks them; if
    anything was replaced it writes a message to stderr (nbgrader then scores the
    cell 0), and every check raises AssertionError. Outside IPython it does nothing.

    Parameters
    ----------
    *names : str
        The names the test cells rely on, e.g. ``T.guard("np", "T", "nnlib")``.

    Examples
    --------
    The last line of a setup cell::

        T.guard("np", "T", "nnlib", "Z_TEST")
    """
    global _GUARD
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "events"):
        return
    frame = sys._getframe(1)
    if _GUARD is None:
        _GUARD = _Guard()
    _GUARD.protect(frame.f_globals, sorted(names) if names else sorted(_names_bound_by(frame)))
    _GUARD.install(shell)
