"""The names a cell of Python binds and reads, from its syntax tree.

The grading guard, the tamper scan and the mutation harness all ask the same two
questions of a cell: which names does it leave behind in the notebook's namespace,
and which does it take from there. Only the standard library is used, because the
guard runs inside every learner's kernel.
"""
import ast

__all__ = ["bound_names", "free_names", "global_reads"]


class _Binder(ast.NodeVisitor):
    """Collects the names a module-level block binds (function bodies are their own scope)."""

    def __init__(self):
        self.names = set()

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.names.add(node.id)

    def visit_FunctionDef(self, node):
        self.names.add(node.name)

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

    def visit_Lambda(self, node):
        pass

    def visit_Import(self, node):
        for alias in node.names:
            self.names.add(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node):
        for alias in node.names:
            if alias.name != "*":
                self.names.add(alias.asname or alias.name)

    def visit_ExceptHandler(self, node):
        if node.name:
            self.names.add(node.name)
        self.generic_visit(node)

    def _comprehension(self, node):
        pass  # a comprehension's variables stay inside it (Python 3)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension


def bound_names(tree):
    """Names a cell binds at its top level: imports, assignments, defs, loop targets ...

    Parameters
    ----------
    tree : ast.AST
        The parsed cell.

    Returns
    -------
    set of str
    """
    binder = _Binder()
    binder.visit(tree)
    return binder.names


def free_names(tree):
    """Names a cell reads but binds nowhere in it, not even as a parameter."""
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


def global_reads(tree):
    """Global names a cell reads: at top level, and inside its functions unless bound there.

    Unlike :func:`free_names`, a name a function binds only hides that name inside
    the function: ``x = 1`` in one function does not stop another from reading the
    notebook's ``x``.
    """
    used = set()

    def visit(node, local):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            bound = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
            bound |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
            body = node.body if isinstance(node.body, list) else [node.body]
            for child in body:
                bound |= {n.id for n in ast.walk(child)
                          if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            for default in args.defaults + [d for d in args.kw_defaults if d is not None]:
                visit(default, local)
            for child in body:
                visit(child, local | bound)
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
            used.add(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child, local)

    visit(tree, frozenset())
    return used
