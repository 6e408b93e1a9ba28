"""What a submitted notebook is compared with: the course's source notebook, read once."""
from dataclasses import dataclass
from pathlib import Path

from nncourse.notebook import grade_id, is_answer, is_code, is_test, read, released_source, source
from nncourse.names import bound_names, free_names
from nncourse.protection import DEFAULT_ALIASES

from .parsing import import_targets, parse_cell
from .tables import BUILTIN_NAMES


def read_notebook(path):
    """The notebook at ``path`` (nbformat nodes); raises ValueError when it is not a notebook."""
    try:
        return read(path)
    except FileNotFoundError as exc:  # to the scan a missing file is one more unreadable one
        raise ValueError(f"not a readable notebook ({type(exc).__name__}: {exc})") from None


def normalised(text):
    """Source text compared line by line, ignoring trailing spaces and blank lines."""
    return "\n".join(ln.rstrip() for ln in text.splitlines() if ln.strip())


@dataclass
class Reference:
    """What the scan compares a submitted notebook with (built from the source notebook)."""

    assignment: str
    notebook: str                  # file name, e.g. "01_neurons.ipynb"
    by_grade_id: dict              # grade_id -> reference cell
    course_sources: set            # normalised sources of non-answer code cells (as released)
    protected: dict                # name -> why the tests need it
    aliases: dict                  # name -> dotted path, for the course's imports and helpers
    imports: dict                  # name -> dotted import target in course cells

    @classmethod
    def from_notebook(cls, nb, assignment, notebook=None):
        by_grade_id, course_sources = {}, set()
        aliases, imports = dict(DEFAULT_ALIASES), {}
        used, answer_names, course_names = set(), set(), set()
        for cell in nb.get("cells", []):
            gid = grade_id(cell)
            if gid:
                by_grade_id.setdefault(gid, cell)
            if not is_code(cell):
                continue
            full = source(cell)
            tree = parse_cell(full)[0]
            if is_answer(cell):
                if tree is not None:
                    answer_names |= bound_names(tree)
                continue
            course_sources.add(normalised(released_source(full)))
            if tree is None:
                continue
            targets = import_targets(tree)
            imports.update(targets)
            aliases.update(targets)
            course_names |= bound_names(tree)
            if is_test(cell):
                used |= free_names(tree)
        protected = {}
        for name in sorted(used - answer_names):
            if name in BUILTIN_NAMES:
                protected[name] = f"the builtin {name}, which the tests call"
            elif name in aliases or name in course_names:
                protected[name] = f"{name}, which the tests use"
        for name in protected:  # helper values (REF, Z_TEST ...) become protected roots too
            if name not in aliases and name not in BUILTIN_NAMES:
                aliases[name] = f"@{name}"
        return cls(assignment, notebook or f"{assignment}.ipynb", by_grade_id,
                   course_sources, protected, aliases, imports)

    @classmethod
    def from_path(cls, path, assignment=None):
        path = Path(path)
        return cls.from_notebook(read_notebook(path), assignment or path.parent.name, path.name)
