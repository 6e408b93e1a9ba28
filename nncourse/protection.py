"""What grading stands on, and so what learner code must leave alone: one policy.

Two parts of the course enforce it. The grading guard (:mod:`nncourse.guard`) runs
in the learner's kernel and checks, around every cell, that these objects are still
the originals; the tamper scan (``tools.tamper``) reads submitted code and flags
any that changes them. Both read their lists from here, so that what the scan flags
and what the guard catches cannot drift apart.
"""

__all__ = [
    "PROTECTED_MODULES", "GUARDED_MODULES", "IPYTHON_BUILTINS", "SHELL_ATTRS",
    "SHELL_SAFE_ATTRS", "CALLBACK_OWNERS", "SANDBOX_EXCEPTIONS", "DEFAULT_ALIASES",
    "is_protected_module",
]

#: Packages whose attributes the tests rely on: numpy's and math's functions, the
#: builtins, the reference library and the course's checks. Any dotted path below
#: one of them is protected.
PROTECTED_MODULES = ("numpy", "math", "builtins", "nnlib", "nncourse")

#: The guard's labels (as learners write them) for the modules whose callables it
#: snapshots when the checks are imported; every loaded ``nnlib`` and ``nncourse``
#: module is added when ``guard()`` is called.
GUARDED_MODULES = {
    "np": "numpy", "np.testing": "numpy.testing", "np.linalg": "numpy.linalg",
    "np.random": "numpy.random", "math": "math", "builtins": "builtins",
}

#: Builtins that IPython and ipykernel set or replace themselves while running cells.
IPYTHON_BUILTINS = frozenset({"_", "__", "___", "input", "display", "get_ipython", "exit", "quit",
                              "help", "copyright", "credits", "license", "open", "breakpoint"})

#: IPython shell methods that run cells and show errors: replacing one can hide a failed test.
SHELL_ATTRS = ("showtraceback", "_showtraceback", "showsyntaxerror", "run_cell", "run_cell_async",
               "run_ast_nodes", "run_code", "CustomTB", "events")

#: ``get_ipython()`` methods a notebook may call: magics and shell commands (which the
#: scan flags by what they run, not as changes to the shell).
SHELL_SAFE_ATTRS = frozenset({"run_line_magic", "run_cell_magic", "magic", "system", "getoutput"})

#: Packages whose IPython event callbacks may come and go (plot backends, widgets, the course).
CALLBACK_OWNERS = ("matplotlib", "IPython", "ipykernel", "ipywidgets", "comm", "nnlib", "nncourse")

#: The errors whose message the grading sandbox extends with the limit that caused
#: them (a MemoryError names the memory limit ...): the one custom exception handler
#: that is the course's own, not a learner's (tools/sandbox/boot.py installs it).
SANDBOX_EXCEPTIONS = (MemoryError, OSError, RuntimeError)

#: What the names every course notebook's setup cell binds stand for.
DEFAULT_ALIASES = {
    "np": "numpy", "numpy": "numpy", "math": "math", "nnlib": "nnlib", "nncourse": "nncourse",
    "T": "nncourse.testing", "builtins": "builtins", "__builtins__": "builtins",
}


def is_protected_module(path):
    """Whether a dotted path ('numpy.allclose', 'nncourse.testing') lies in a protected package."""
    return bool(path) and path.split(".")[0] in PROTECTED_MODULES
