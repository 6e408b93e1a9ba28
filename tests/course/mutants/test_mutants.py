"""The graded tests, measured: wrong answers lose points and are told why, right ones pass.

``cases/`` holds wrong implementations (mutants) and right-but-different ones
(variants) of every graded exercise; ``tools/mutation.py`` grades each the way
``nbgrader autograde`` does, in process. A small sample is also graded by the real
``nbgrader autograde`` (throwaway HOME and gradebook) and must score the same.
"""
import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import mutation as H

CASES = H.load_cases()
MUTANTS = [c for c in CASES if c.kind == "mutant"]
VARIANTS = [c for c in CASES if c.kind == "variant"]

# The misconception families the issue asks the tests to catch and name; each is
# the family of at least one mutant, whose messages must then contain its hint.
REQUIRED_FAMILIES = (
    "shapes/transposed W", "shapes/transposed X", "shapes/missing keepdims", "shapes/b as (n_out,)",
    "shapes/b as (n_out, 1)", "shapes/bias column appended last", "shapes/mutated input array",
    "scale/missing 1/m", "scale/doubled 1/m", "scale/sum instead of mean", "scale/lr applied twice",
    "scale/lr with the wrong sign",
    "calculus/activation used as its own derivative", "calculus/derivative from Z instead of A",
    "calculus/derivative from A as if it were Z", "calculus/loss passed into backward",
    "calculus/dZ @ W instead of dZ @ W.T",
    "activations/sigmoid sign", "activations/step < vs <=", "activations/ReLU < vs <=",
    "activations/leaky a and b swapped", "activations/softmax wrong axis",
    "activations/softmax without the max", "activations/softmax over the whole batch",
    "loss/no clipping", "loss/log of the wrong argument", "loss/sum over the wrong axis",
    "loss/one-hot off by one",
    "gradient checking/forward differences", "gradient checking/x not restored",
    "gradient checking/no 1e-8 floor",
    "training/weights never updated", "training/predict returns probabilities",
    "training/argmax over axis 0", "training/layers shared between nets",
)


def _ids(cases):
    return [c.name for c in cases]


_GRADES = {}


def graded(case):
    """``H.grade(case)``, once per test session."""
    if case.name not in _GRADES:
        _GRADES[case.name] = H.grade(case)
    return _GRADES[case.name]


# ---------------------------------------------------------------- the corpus

def test_corpus_covers_every_exercise_and_family():
    assert len(MUTANTS) >= 60, f"only {len(MUTANTS)} mutants"
    assert len(VARIANTS) >= 20, f"only {len(VARIANTS)} right-but-different answers"
    problems = []
    for aid, name in H.EXERCISE_PAIRS:
        if not any(c.aid == aid and c.exercise == name for c in MUTANTS):
            problems.append(f"no mutant of {aid}/{name}")
    for case in CASES:
        if (case.aid, case.exercise) not in H.EXERCISE_PAIRS:
            problems.append(f"{case.name}: {case.exercise!r} is not a graded exercise of {case.aid}")
        if case.kind == "mutant" and not case.hint_words:
            problems.append(f"{case.name}: a mutant needs the words its message must contain (hint:)")
    families = {c.family for c in MUTANTS}
    problems += [f"no mutant in the family {f!r}" for f in REQUIRED_FAMILIES if f not in families]
    assert not problems, "\n".join(problems)


def test_cases_are_complete_answer_cells():
    """Each case parses and defines the exercise's name, like a filled-in answer cell."""
    problems = []
    for case in CASES:
        tree = ast.parse(case.source, filename=str(case.path))
        if case.exercise not in H.bound_names(tree):
            problems.append(f"{case.name} does not define {case.exercise}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------ the harness itself

@pytest.mark.parametrize("aid, name", H.EXERCISE_PAIRS, ids=[f"{a}/{n}" for a, n in H.EXERCISE_PAIRS])
def test_solution_gets_full_marks_and_stub_gets_none(aid, name):
    """The harness is only trusted if it grades the solution and the released stub correctly."""
    nb = H.load_assignment(aid)
    assert nb.tests[name], f"no test cells for {aid}/{name}"
    solution = H.grade(aid=aid, exercise=name, source=nb.answers[name])
    assert solution.full_marks and not solution.messages, (
        f"the solution of {aid}/{name} scored {solution.score}/{solution.max_score}:\n{solution.messages}")
    release = H.read_notebook("notebooks", aid)
    stub = next(c.source for c in release.cells if H.grade_id(c) == name)
    untouched = H.grade(aid=aid, exercise=name, source=stub)
    assert untouched.score == 0, f"the released stub of {aid}/{name} scored {untouched.score}"


# ------------------------------------------------------------ mutants, variants

@pytest.mark.parametrize("case", MUTANTS, ids=_ids(MUTANTS))
def test_mutant_loses_points_and_is_told_why(case):
    problems = H.verdict(case, graded(case))
    assert not problems, f"{case.name} ({case.about}):\n" + "\n".join(problems)


@pytest.mark.parametrize("case", VARIANTS, ids=_ids(VARIANTS))
def test_right_variant_gets_full_marks(case):
    problems = H.verdict(case, graded(case))
    assert not problems, f"{case.name} ({case.about}):\n" + "\n".join(problems)


def test_most_mutants_get_a_message_that_names_their_mistake():
    named = sum(H.names_its_mistake(case, graded(case)) for case in MUTANTS)
    assert named >= 0.8 * len(MUTANTS), f"only {named} of {len(MUTANTS)} mutants are told their mistake"


# --------------------------------------------------------------- test cells

def _checks_outside_blocks(tree):
    """Top-level ``T.check_*`` calls other than ``T.check_own`` (not inside a with block)."""
    calls = []
    for stmt in tree.body:
        node = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id == "T" and \
                node.func.attr.startswith("check_") and node.func.attr != "check_own":
            calls.append(node.func.attr)
    return calls


@pytest.mark.parametrize("aid", H.ASSIGNMENTS)
def test_each_test_cell_reports_all_its_failures_at_once(aid):
    """A cell's checks run inside one T.Checks block, so a rerun shows every failing check.

    Allowed outside a block: T.check_own, and one single check per region (the
    visible part and the hidden part of a cell are graded as one, but a learner
    only sees the visible part).
    """
    nb = H.read_notebook("solutions", aid)
    problems = []
    for cell in nb.cells:
        if not H.is_test_cell(cell):
            continue
        visible, hidden = H.split_hidden(cell.source)
        for part in [visible] + hidden:
            loose = _checks_outside_blocks(ast.parse(part))
            if len(loose) > 1:
                problems.append(f"{H.grade_id(cell)}: {len(loose)} checks outside a T.Checks block "
                                f"({', '.join(loose)}): the first failure hides the others")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------- the real nbgrader, a sample

# (assignment, case file stems): 3 mutants and 2 right variants, graded by `nbgrader autograde`.
AUTOGRADE_SAMPLE = {
    "03_activations": ("SoftMaxActivation__no_max", "ReLUActivation__mask"),
    "05_backprop": ("linear_backward__dW_over_m", "numerical_gradient__not_restored",
                    "relative_error__clip_loop"),
}


def _submission(aid, case):
    """The released notebook with every answer cell filled in: the case here, solutions elsewhere."""
    nb = H.read_notebook("notebooks", aid)
    answers = H.load_assignment(aid).answers
    for cell in nb.cells:
        if H.is_answer(cell):
            gid = H.grade_id(cell)
            cell.source = case.source if gid == case.exercise else answers[gid]
    return nb


@pytest.mark.slow
def test_real_autograde_agrees_with_the_harness(tmp_path):
    from nbgrader.api import Gradebook

    root = tmp_path / "course"
    (root / "solutions").mkdir(parents=True)
    shutil.copy2(H.REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    home = tmp_path / "home"
    home.mkdir()
    bin_dir = Path(sys.executable).absolute().parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.update(HOME=str(home), PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
               MPLCONFIGDIR=str(home / "mpl"), PYTHONDONTWRITEBYTECODE="1")
    by_name = {c.name: c for c in CASES}
    expected = {}
    for aid, stems in AUTOGRADE_SAMPLE.items():
        shutil.copytree(H.notebook_path("solutions", aid).parent, root / "solutions" / aid,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        for stem in stems:
            case = by_name[f"{aid}/{stem}"]
            student = stem.replace("__", "-").replace("_", "-").lower()
            folder = root / "submitted" / student / aid
            folder.mkdir(parents=True)
            with open(folder / f"{aid}.ipynb", "w", encoding="utf-8") as fh:
                nbformat.write(_submission(aid, case), fh)
            result = graded(case)
            expected[(aid, student)] = (case, {c.grade_id: c.points for c in result.cells})

    def nbgrader(*args):
        cmd = [str(bin_dir / "nbgrader"), *args, f"--CourseDirectory.root={root}",
               f"--CourseDirectory.db_url={db_url}"]
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"

    for aid in AUTOGRADE_SAMPLE:
        nbgrader("generate_assignment", aid, "--force")
        nbgrader("autograde", aid)

    problems = []
    with Gradebook(db_url) as gb:
        for (aid, student), (case, harness_points) in expected.items():
            notebook = gb.find_submission_notebook(aid, aid, student)
            real = {g.name: g.score for g in notebook.grades if g.name.startswith("test_")}
            mine = {g: real[g] for g in harness_points}
            if mine != harness_points:
                problems.append(f"{case.name}: nbgrader {mine}, harness {harness_points}")
            others = {g: s for g, s in real.items() if g not in harness_points}
            full = {g.name: g.max_score for g in notebook.grades if g.name in others}
            if others != full:
                problems.append(f"{case.name}: other exercises lost points under nbgrader: "
                                f"{ {g: (s, full[g]) for g, s in others.items() if s != full[g]} }")
            total, maximum = sum(mine.values()), sum(c[1] for c in H.load_assignment(aid).tests[case.exercise])
            if case.kind == "mutant" and total >= maximum:
                problems.append(f"{case.name}: the mutant kept all its points under nbgrader")
            if case.kind == "variant" and total < maximum:
                problems.append(f"{case.name}: the right variant lost points under nbgrader")
    assert not problems, "\n".join(problems)
