"""Cell scanner checks of expressions that name something outside the notebook's folder.

A mixin for :class:`~tools.tamper.base.ScannerBase`: attributes, names, subscripts,
path divisions and literals that reach a database, the network, the environment or a
place above the folder (and attributes of the IPython shell a notebook should not use).
"""
import ast

from nncourse.protection import SHELL_SAFE_ATTRS

from .places import leading_text, read_place, short, text_of
from .tables import SHELL


class ReachChecks:
    def visit_Attribute(self, node):
        base = self.resolve(node.value)
        if base == SHELL and node.attr not in SHELL_SAFE_ATTRS:
            self.report(node, "kernel", f"uses get_ipython().{node.attr}")
        place, path = read_place(base), self.resolve(node)
        if node.attr == "parent":
            self._walks_up(node, place, read_place(path))
        elif node.attr == "parents" and place and place[0]:
            # every absolute path's parents end at the root
            self._reached(node, "path", ".parents", short(ast.unparse(node)))
        self._reaches(node, path, "uses")
        self.generic_visit(node)

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self._reaches(node, self.lookup(node.id), "uses")

    def visit_Subscript(self, node):
        value = node.value
        if not (isinstance(value, ast.Attribute) and value.attr == "parents"):
            self.generic_visit(node)
            return
        before = self.place(value.value)
        after = read_place(self.resolve(node))
        if before and before[0] and after is None:  # a slice, a negative or a computed index
            self._reached(node, "path", ".parents", short(ast.unparse(node)))
        else:
            self._walks_up(node, before, after)
        self.visit(value.value)
        self.visit(node.slice)

    def visit_BinOp(self, node):
        text = leading_text(node.right) if isinstance(node.op, ast.Div) else None
        if text and text.startswith(("/", "~")) and read_place(self.resolve(node.left)):
            self._reached(node, "path", text, short(ast.unparse(node)))
        self.generic_visit(node)

    def visit_Constant(self, node):
        text = text_of(node.value)
        if text is None:
            return
        if ".." in text.split("/"):
            self._reached(node, "path", text, f"the path {short(repr(text))}")
        if text == "/proc" or text.startswith("/proc/"):
            self._reached(node, "system", "/proc", f"the path {short(repr(text))}")
