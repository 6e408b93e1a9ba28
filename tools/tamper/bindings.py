"""Cell scanner checks of what code binds, rebinds and replaces: imports, assignments, scopes.

A mixin for :class:`~tools.tamper.base.ScannerBase`: it keeps the alias table right
through every statement that binds a name, and flags bindings that shadow what the
tests use and writes to protected modules, ``sys``, ``os`` or the IPython shell.
"""
import ast

from .parsing import dotted
from .tables import SHELL, is_protected


def describe(path):
    if path.startswith("@"):
        return f"{path[1:]}, a value the tests use"
    return path


class BindingChecks:
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
                if is_protected(module):
                    self.report(node, "shadow", f"`from {module} import *` can rebind names "
                                                "the tests rely on")
                continue
            full = f"{module}.{alias.name}" if module else alias.name
            self._check_import(node, full)
            self.bind(alias.asname or alias.name, node, imported=full)

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
            if verb == "deletes" and self.module_level(target.id) and target.id in self.ref.protected:
                self.report(node, "shadow", f"deletes {self.ref.protected[target.id]}")
                return
            self.bind(target.id, node, value_path=value_path)
        elif isinstance(target, ast.Attribute):
            base = self.resolve(target.value)
            self._attribute_write(node, base, target.attr, verb, dotted(target))
            if base:
                self._reaches(target, f"{base}.{target.attr}", verb)
            self.visit(target.value)
        elif isinstance(target, ast.Subscript):
            self._item_write(target, node, verb)
            self.visit(target.value)
            self.visit(target.slice)

    def _item_write(self, target, node, verb):
        base = self.resolve(target.value)
        key = target.slice
        keytext = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
        shown = dotted(target.value) or "an object"
        if base == "sys.modules":
            self.report(node, "patch", f"{verb} an entry of sys.modules"
                        + (f" ({keytext!r})" if keytext else ""))
        elif base and base.endswith(".__dict__") and is_protected(base[: -len(".__dict__")]):
            owner = base[: -len(".__dict__")]
            self.report(node, "patch", f"{verb} {owner}.{keytext or '...'} through its __dict__")
        elif base and is_protected(base):
            self.report(node, "patch", f"{verb} an element of {shown} ({describe(base)})")
        elif isinstance(target.value, ast.Call) and self._is_globals(target.value):
            if keytext in self.ref.protected:
                self.report(node, "shadow", f"rebinds {self.ref.protected[keytext]} through globals()")
            elif keytext is None:
                self.report(node, "dynamic", "writes to globals() under a computed name")

    def _attribute_write(self, node, base, attr, verb, shown):
        if not base:
            return
        if is_protected(base):
            self.report(node, "patch", f"{verb} {shown} ({describe(base + '.' + attr)})")
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
        declared = {n for sub in ast.walk(node) if isinstance(sub, ast.Global) for n in sub.names}
        with self.scope(declared):
            for stmt in node.body:
                self.visit(stmt)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self.visit(node.args)
        with self.scope():
            self.visit(node.body)

    def visit_ClassDef(self, node):
        for item in node.decorator_list + node.bases + [k.value for k in node.keywords]:
            self.visit(item)
        self.bind(node.name, node)
        with self.scope():
            for stmt in node.body:
                self.visit(stmt)

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
        with self.scope():
            for gen in node.generators:
                self.visit(gen.iter)
                for cond in gen.ifs:
                    self.visit(cond)
            for field in ("elt", "key", "value"):
                if getattr(node, field, None) is not None:
                    self.visit(getattr(node, field))

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension
