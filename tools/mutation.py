"""Grade wrong and right-but-different answers the way nbgrader does, without a kernel per answer.

The mutation corpus (``tests/course/mutants/cases``) is graded with this, by its tests and by
``benchmarks/mutation_report.py``.

A *case* is the source of one answer cell (a file in ``tests/course/mutants/cases/<assignment>/``)
with a header of ``# key: value`` comment lines::

    # exercise: linear_forward
    # kind: mutant                  (a wrong answer; or "variant": right, written differently)
    # family: shapes/transposed W   (the misconception, for the report)
    # hint: transpose               (words the failure message must contain; "-" for none)
    # about: X @ W.T, as if W were (n_out, n_in)

Grading one case follows ``nbgrader autograde`` (see :func:`grade`):

1. the *submission* is the released notebook with every answer cell filled in:
   the case's source in its exercise's cell, the solution in all the others;
2. test cells are replaced by their versions in ``solutions/`` (the hidden tests
   come back, as with nbgrader's OverwriteCells);
3. the cells run in one fresh namespace, in process: the setup cell, every answer
   cell, the ungraded cells the exercise's test cells read names from, then the
   exercise's test cells;
4. a test cell earns its points when it raised nothing and wrote nothing to
   stderr (Python warnings count as stderr, as they do in a kernel); a final
   expression whose value is a number gives partial credit, as in nbgrader.

Running in process is what makes a corpus of about a hundred cases take seconds;
``tests/course/mutants/test_mutants.py`` checks a sample against the real ``nbgrader autograde``.
"""
import ast
import builtins
import contextlib
import io
import os
import signal
import time
import traceback
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402

from nncourse.manifest import (  # noqa: E402
    ASSIGNMENTS, EXERCISE_PAIRS, EXERCISES, REPO, notebook_path,
)  # noqa: F401  (ASSIGNMENTS, EXERCISE_PAIRS and REPO are for the tests)
from nncourse.names import bound_names, global_reads  # noqa: E402
from nncourse.notebook import (  # noqa: E402
    HIDDEN_BEGIN, HIDDEN_END, exercise_of_test, grade_id, is_answer, nbgrader_meta, read,
    regions, released_source, submitted_answer,
)
from nncourse.notebook import is_test as is_test_cell  # noqa: E402, F401  (for the tests)
from nncourse.notebook import source as cell_source  # noqa: E402

# The corpus: one answer cell a file, by assignment (tests/course/mutants/README.md describes it).
CASES = REPO / "tests" / "course" / "mutants" / "cases"


def read_notebook(kind, aid):
    """The source (kind "solutions") or released (kind "notebooks") notebook of an assignment."""
    return read(notebook_path(kind, aid))


def split_hidden(text):
    """(visible part, [hidden parts]) of a test cell's source."""
    return released_source(text), regions(text, HIDDEN_BEGIN, HIDDEN_END)


KINDS = ("mutant", "variant")
HEADER_KEYS = ("exercise", "kind", "family", "hint", "about")
# The misconception families the issue lists; a mutant in one of them must get a
# message that names its mistake. "other" is for further mistakes learners make.
FAMILIES = (
    "shapes", "scale", "calculus", "activations", "loss", "gradient checking", "training",
    "other",
)
CASE_TIMEOUT = 60  # seconds for all cells of one case; honest answers need well under 5


@dataclass
class Case:
    """One replacement answer cell and what it is expected to do."""

    path: Path
    aid: str
    exercise: str
    kind: str
    family: str
    hint: str
    about: str
    source: str

    @property
    def name(self):
        return f"{self.aid}/{self.path.stem}"

    @property
    def hint_words(self):
        """Lower-case words that must all appear in a mutant's messages ([] for none)."""
        return [] if self.hint in ("", "-") else [w.strip().lower() for w in self.hint.split("|")]


def parse_case(path):
    text = path.read_text(encoding="utf-8")
    meta = {}
    for line in text.splitlines():
        if not line.startswith("# ") or ":" not in line:
            break
        key, _, value = line[2:].partition(":")
        if key.strip() not in HEADER_KEYS:
            break
        meta[key.strip()] = value.strip()
    missing = [k for k in HEADER_KEYS if k not in meta]
    if missing:
        raise ValueError(f"{path}: header lacks {missing}")
    if meta["kind"] not in KINDS:
        raise ValueError(f"{path}: kind must be one of {KINDS}, not {meta['kind']!r}")
    if meta["family"].split("/")[0].strip() not in FAMILIES:
        raise ValueError(f"{path}: family must start with one of {FAMILIES}")
    return Case(path=path, aid=path.parent.name, exercise=meta["exercise"], kind=meta["kind"],
                family=meta["family"], hint=meta["hint"], about=meta["about"], source=text)


def load_cases(kind=None):
    """Every case of the corpus, sorted by assignment and file name."""
    cases = [parse_case(p) for p in sorted(CASES.glob("*/*.py"))]
    return [c for c in cases if kind is None or c.kind == kind]


# ---------------------------------------------------------------- notebooks

@dataclass
class Assignment:
    """The parts of one assignment that grading needs."""

    aid: str
    setup: str
    answers: dict                       # grade_id -> solution source (markers removed)
    answer_order: list                  # answer grade_ids in notebook order
    tests: dict                         # exercise -> [(grade_id, points, source)]
    context: dict = field(default_factory=dict)  # exercise -> [ungraded sources it needs]


@lru_cache(maxsize=None)
def load_assignment(aid):
    """Read the release (structure) and the source (solutions, hidden tests) of one assignment."""
    release = read_notebook("notebooks", aid)
    source = read_notebook("solutions", aid)
    by_id = {nbgrader_meta(c).get("grade_id"): c for c in source.cells if nbgrader_meta(c).get("grade_id")}
    names = EXERCISES[aid]
    cells = []  # (kind, grade_id, source) of the submission after OverwriteCells
    for cell in release.cells:
        if cell.cell_type != "code":
            continue
        meta = nbgrader_meta(cell)
        gid = meta.get("grade_id")
        if meta.get("solution"):
            cells.append(("answer", gid, submitted_answer(cell_source(by_id[gid]))))
        elif meta.get("grade") or meta.get("locked"):
            cells.append(("test" if meta.get("grade") else "locked", gid, cell_source(by_id[gid])))
        else:
            cells.append(("plain", None, cell_source(cell)))
    setup = cells[0][2]
    assert cells[0][1] == "setup", f"{aid}: the first code cell is not the setup cell"
    answers = {gid: src for kind, gid, src in cells if kind == "answer"}
    points = {nbgrader_meta(c).get("grade_id"): nbgrader_meta(c).get("points", 0) for c in source.cells}
    tests = {name: [] for name in names}
    for kind, gid, src in cells:
        if kind == "test":
            owner = exercise_of_test(gid, names)
            if owner is not None:
                tests[owner].append((gid, float(points[gid]), src))

    # Ungraded cells that define names the exercise's tests read (and, in turn, their needs).
    known = set(dir(builtins)) | bound_names(ast.parse(setup))
    for src in answers.values():
        known |= bound_names(ast.parse(src))
    context = {}
    for name, test_cells in tests.items():
        needed, chosen = set(), set()
        for gid, _, src in test_cells:
            tree = ast.parse(src)
            needed |= global_reads(tree) - known - bound_names(tree)
        position = max((i for i, (_, g, _) in enumerate(cells) if g in {t[0] for t in test_cells}),
                       default=-1)
        while needed:
            name_needed = needed.pop()
            for i in range(position - 1, -1, -1):
                kind, _, src = cells[i]
                if kind in ("plain", "locked") and i not in chosen and \
                        name_needed in bound_names(ast.parse(src)):
                    chosen.add(i)
                    tree = ast.parse(src)
                    needed |= global_reads(tree) - known - bound_names(tree)
                    break
        context[name] = [cells[i][2] for i in sorted(chosen) if cells[i][1] != "setup"]
    return Assignment(aid=aid, setup=setup, answers=answers,
                      answer_order=[g for k, g, _ in cells if k == "answer"], tests=tests,
                      context=context)


# ---------------------------------------------------------------- execution

@dataclass
class CellResult:
    grade_id: str
    points: float
    max_points: float
    error: str = ""      # "Type: message" plus notes, as the learner would read it
    stderr: str = ""

    @property
    def message(self):
        return "\n".join(t for t in (self.error, self.stderr) if t)


@dataclass
class Grade:
    """The outcome of one case: per test cell, and in total for its exercise."""

    case: object
    cells: list
    setup_error: str = ""
    seconds: float = 0.0

    @property
    def score(self):
        return sum(c.points for c in self.cells)

    @property
    def max_score(self):
        return sum(c.max_points for c in self.cells)

    @property
    def full_marks(self):
        return self.cells and self.score == self.max_score

    @property
    def messages(self):
        return "\n".join(c.message for c in self.cells if c.message)


class _Timeout(BaseException):
    pass


def _on_alarm(signum, frame):
    raise _Timeout(f"the case ran longer than {CASE_TIMEOUT} s")


def _describe(error):
    text = f"{type(error).__name__}: {error}"
    for note in getattr(error, "__notes__", ()):
        text += f"\n{note}"
    return text


def run_cell(source, namespace):
    """Execute one cell like an IPython kernel would; returns (error, stderr, value).

    ``value`` is the cell's final expression (IPython's execute_result), else None.
    """
    tree = ast.parse(source, filename="<cell>")
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    err, out = io.StringIO(), io.StringIO()
    value, error = None, ""
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"), \
            contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        # Python's default filters, as a kernel has them: DeprecationWarning only from __main__.
        warnings.resetwarnings()
        warnings.simplefilter("default")
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning,
                         ResourceWarning):
            warnings.filterwarnings("ignore", category=category)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        try:
            exec(compile(tree, "<cell>", "exec"), namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
        except _Timeout:
            raise
        except BaseException as exc:  # noqa: BLE001 - everything a cell raises is its error
            error = _describe(exc)
    stderr = err.getvalue()
    for w in caught:
        stderr += f"{w.category.__name__}: {w.message}\n"
    return error, stderr, value


def _partial(value, max_points):
    """nbgrader's partial credit for a cell whose last expression shows ``value``."""
    try:
        from IPython.lib.pretty import pretty
        text = pretty(value)
    except Exception:  # noqa: BLE001
        text = repr(value)
    try:
        grade = float(text)
    except ValueError:
        return max_points
    return grade if 0 <= grade <= max_points else max_points


def grade(case=None, aid=None, exercise=None, source=None):
    """Grade one case (or ``source`` for ``exercise`` of ``aid``) for its exercise only."""
    if case is not None:
        aid, exercise, source = case.aid, case.exercise, case.source
    nb = load_assignment(aid)
    if exercise not in nb.answers:
        raise KeyError(f"{aid} has no answer cell {exercise!r}")
    answers = dict(nb.answers)
    answers[exercise] = source
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    start = time.perf_counter()
    results, setup_error = [], ""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(CASE_TIMEOUT)
    try:
        setup_error = run_cell(nb.setup, namespace)[0]
        for gid in nb.answer_order:
            run_cell(answers[gid], namespace)
        for src in nb.context[exercise]:
            run_cell(src, namespace)
        for gid, max_points, src in nb.tests[exercise]:
            error, stderr, value = run_cell(src, namespace)
            points = 0.0 if error or stderr else (
                max_points if value is None else _partial(value, max_points))
            results.append(CellResult(gid, points, max_points, error, stderr))
    except _Timeout as exc:
        done = {r.grade_id for r in results}
        results += [CellResult(g, 0.0, p, f"Timeout: {exc}") for g, p, _ in nb.tests[exercise]
                    if g not in done]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        import matplotlib.pyplot as plt
        plt.close("all")
    return Grade(case=case, cells=results, setup_error=setup_error,
                 seconds=time.perf_counter() - start)


def verdict(case, result):
    """Problems with one graded case ([] when it behaves as its header says)."""
    problems = []
    if result.setup_error:
        problems.append(f"the setup cell failed: {result.setup_error}")
    if not result.cells:
        problems.append(f"no test cells found for {case.exercise}")
        return problems
    if case.kind == "variant":
        if not result.full_marks:
            failed = [c for c in result.cells if c.points < c.max_points]
            problems.append(
                f"a right answer lost {result.max_score - result.score:g} of {result.max_score:g} "
                "points:\n" + "\n".join(f"  [{c.grade_id}] {c.message}" for c in failed))
    else:
        if result.full_marks:
            problems.append(f"the wrong answer kept all {result.max_score:g} points "
                            "(no test cell failed)")
        text = result.messages.lower()
        missing = [w for w in case.hint_words if w not in text]
        if missing and not result.full_marks:
            problems.append(f"the messages do not name the mistake (missing {missing}):\n"
                            + "\n".join(f"  {line}" for line in result.messages.splitlines()))
    return problems


def names_its_mistake(case, result):
    """True when a mutant's messages contain its hint words (False when it has none)."""
    words = case.hint_words
    text = result.messages.lower()
    return bool(words) and all(w in text for w in words) and not result.full_marks


def grade_all(cases=None):
    """``[(case, Grade)]`` for the whole corpus (or the given cases)."""
    return [(case, grade(case)) for case in (load_cases() if cases is None else cases)]


def format_traceback(error):  # pragma: no cover - debugging aid
    return "".join(traceback.format_exception(error))
