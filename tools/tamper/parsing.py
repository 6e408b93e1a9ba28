"""A code cell made ready for the scan: IPython's syntax translated, parsed, imports read."""
import ast
from functools import cache

from .tables import PYTHON_CELL_MAGICS


@cache
def _transformer():
    from IPython.core.inputtransformer2 import TransformerManager  # IPython comes with nbgrader
    return TransformerManager()


def transform(text):
    """IPython's own translation of %magics and !shell lines to Python (line numbers kept)."""
    manager = _transformer()
    try:
        return manager.transform_cell(text)
    except Exception:  # IPython could not make sense of it: the kernel can't either
        return text


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
        return ast.parse(transform(text)), lead, magic
    except (SyntaxError, ValueError):
        return None, lead, magic


def dotted(node):
    """'a.b.c' for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def import_targets(tree):
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
