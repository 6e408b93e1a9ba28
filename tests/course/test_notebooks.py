"""Tests of the course notebooks: solutions/ (nbgrader sources) and notebooks/ (releases).

Every test is parametrised over the assignment ids (and exercise names) fixed in
docs/contract.md, encoded once in tests/nbutil.py. A missing notebook is a failure, not
a skip. Failure messages name the notebook file and the cell (index, cell id and
nbgrader grade_id).

Cheap static checks (hygiene, contract, leaks) read the JSON only. The execution
tests run each notebook once: solutions through nbgrader's Validator, releases
through nbclient, and the learner-facing answer cells in-process against nnlib.
"""
import ast
import copy
import warnings

import nbformat
import numpy as np
import pytest

import nbutil
from nbutil import (
    ASSIGNMENTS,
    EXERCISE_PAIRS,
    EXERCISES,
    HIDDEN_BEGIN,
    HIDDEN_END,
    RELEASE_DIR,
    SOLUTION_BEGIN,
    SOLUTION_END,
    SOURCE_DIR,
)

KINDS = (SOURCE_DIR, RELEASE_DIR)
MARKER_WORDS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def _fail_lines(header, problems):
    return header + "\n" + "\n".join(f"  - {p}" for p in problems)


# ============================================================================ hygiene

@pytest.mark.parametrize("where", nbutil.all_notebook_relpaths())
def test_hygiene(where):
    """No outputs, no execution counts, nbformat 4.5 with unique valid cell ids."""
    raw = nbutil.read_json(nbutil.REPO / where)
    problems = []
    version = (raw.get("nbformat"), raw.get("nbformat_minor"))
    if raw.get("nbformat") != 4 or not isinstance(raw.get("nbformat_minor"), int) or raw["nbformat_minor"] < 5:
        problems.append(f"nbformat is {version[0]}.{version[1]}, need 4.5 or later (cell ids)")
    else:
        try:
            with warnings.catch_warnings():  # nbformat "repairs" duplicate ids with a warning; checked below
                warnings.simplefilter("ignore")
                nbformat.validate(nbformat.from_dict(raw))
        except nbformat.ValidationError as exc:
            problems.append(f"not a valid notebook: {str(exc).splitlines()[0]}")
    kernelspec = raw.get("metadata", {}).get("kernelspec", {})
    if kernelspec.get("name") != "python3":
        problems.append(f"kernelspec name is {kernelspec.get('name')!r}, expected 'python3'")
    if "widgets" in raw.get("metadata", {}):
        problems.append("notebook metadata stores widget state ('widgets'); clear it")
    seen = {}
    for i, cell in enumerate(raw.get("cells", [])):
        label = nbutil.describe(cell, i)
        cid = cell.get("id")
        if not isinstance(cid, str) or not 1 <= len(cid) <= 64 or not nbutil.CELL_ID_RE.match(cid):
            problems.append(f"{label}: invalid cell id {cid!r} (need 1-64 chars of [a-zA-Z0-9-_])")
        elif cid in seen:
            problems.append(f"{label}: cell id {cid!r} already used by cell {seen[cid]}")
        else:
            seen[cid] = i
        if cell.get("cell_type") == "code":
            if cell.get("outputs"):
                problems.append(f"{label}: has {len(cell['outputs'])} output(s); clear outputs")
            if cell.get("execution_count") is not None:
                problems.append(f"{label}: execution_count is {cell['execution_count']}; clear it")
        if "execution" in cell.get("metadata", {}):
            problems.append(f"{label}: metadata has execution timings ('execution'); clear them")
    assert not problems, _fail_lines(f"{where} is not commit-clean:", problems)


# =========================================================================== contract

def _defines(source, name):
    """True if the code defines `name` at top level (def, class or assignment)."""
    try:
        tree = ast.parse(_strip_magics(source))
    except SyntaxError:
        return False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False


def _strip_magics(source):
    """IPython line magics and shell escapes removed (they are not Python)."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_contract(aid, kind):
    """The contract's exercises (docs/contract.md): answer cell + locked test cells, setup cell, points, header total."""
    where = nbutil.notebook_relpath(kind, aid)
    nb = nbutil.read_notebook(nbutil.notebook_path(kind, aid))
    names = EXERCISES[aid]
    problems = []

    # The locked setup cell comes first among the code cells.
    setup = nbutil.setup_cell(nb)
    if setup is None:
        problems.append("no code cell at all (expected the locked setup cell first)")
    else:
        meta = nbutil.nbgrader_meta(setup)
        want = {"grade_id": "setup", "grade": False, "solution": False, "locked": True}
        got = {k: meta.get(k) for k in want}
        if got != want:
            problems.append(f"first code cell must be the locked setup cell {want}, has {got}")
        src = nbutil.source(setup)
        for needle in ("numpy", "matplotlib", "nnlib", "testing as T"):
            if needle not in src:
                problems.append(f"setup cell does not import {needle!r}")

    # grade_ids are unique; graded cells are locked code test cells worth 1-3 points.
    ids = {}
    total = 0
    for i, cell in enumerate(nb.cells):
        gid = nbutil.grade_id(cell)
        label = nbutil.describe(cell, i)
        if gid is not None:
            if gid in ids:
                problems.append(f"{label}: grade_id {gid!r} also used by cell {ids[gid]}")
            ids.setdefault(gid, i)
            if nbutil.nbgrader_meta(cell).get("schema_version") != 3:
                version = nbutil.nbgrader_meta(cell).get("schema_version")
                problems.append(f"{label}: nbgrader schema_version is {version}, expected 3")
        if nbutil.is_graded(cell):
            meta = nbutil.nbgrader_meta(cell)
            points = meta.get("points")
            if nbutil.is_answer(cell) or cell.cell_type != "code":
                problems.append(f"{label}: graded cells must be autograded code test cells, "
                                "not answer or markdown cells")
            if not meta.get("locked"):
                problems.append(f"{label}: graded test cell is not locked")
            if isinstance(points, bool) or not isinstance(points, (int, float)) or points != int(points) \
                    or not 1 <= points <= 3:
                problems.append(f"{label}: points must be an integer 1-3, got {points!r}")
            else:
                total += int(points)

    # Every exercise: exactly one answer cell with grade_id == name, and its tests.
    tests = nbutil.tests_by_exercise(nb, names)
    index = {id(c): i for i, c in enumerate(nb.cells)}
    for name in names:
        answers = [(i, c) for i, c in enumerate(nb.cells) if nbutil.grade_id(c) == name]
        if len(answers) != 1:
            problems.append(f"exercise {name!r}: expected one answer cell with grade_id {name!r}, found {len(answers)}")
        else:
            i, cell = answers[0]
            meta = nbutil.nbgrader_meta(cell)
            want = {"solution": True, "grade": False, "locked": False, "task": False}
            got = {k: meta.get(k) for k in want}
            if cell.cell_type != "code" or got != want:
                problems.append(f"{nbutil.describe(cell, i)}: answer cell must be a code cell with {want}, has "
                                f"{cell.cell_type} {got}")
            if kind == SOURCE_DIR:
                src = nbutil.source(cell)
                if SOLUTION_BEGIN not in src or SOLUTION_END not in src:
                    problems.append(f"{nbutil.describe(cell, i)}: no {SOLUTION_BEGIN} / {SOLUTION_END} region")
                if not _defines(src, name):
                    problems.append(f"{nbutil.describe(cell, i)}: does not define {name!r} at top level")
        if not tests[name]:
            problems.append(f"exercise {name!r}: no graded test cell with a grade_id starting 'test_{name}'")
        for cell in tests[name]:
            i = index[id(cell)]
            src = nbutil.source(cell)
            if name not in nbutil.VALUE_EXERCISES and "check_own(" not in src and ".own(" not in src:
                problems.append(f"{nbutil.describe(cell, i)}: test cell does not call T.check_own(...) on {name!r}")
        if kind == SOURCE_DIR and not any(HIDDEN_BEGIN in nbutil.source(c) for c in tests[name]):
            problems.append(f"exercise {name!r}: none of its test cells has a {HIDDEN_BEGIN} section")

    # The header states the total, and it is the sum of the test points.
    md = [c for c in nb.cells if c.cell_type == "markdown"]
    header = nbutil.source(md[0]).replace("*", "").replace("_", "") if md else ""
    match = nbutil.POINTS_RE.search(header)
    if match is None:
        problems.append("the first markdown cell does not state 'Points: N total'")
    elif int(match.group(1)) != total:
        problems.append(f"the header says 'Points: {match.group(1)} total' but the graded cells sum to {total}")

    assert not problems, _fail_lines(f"{where} breaks the course contract:", problems)


# ============================================================================== leaks

def test_leak_scan_helpers():
    """The leak scan itself can find a leak (guards the helpers it relies on)."""
    src = "def f(x):\n    ### BEGIN SOLUTION\n    return x * 42\n    ### END SOLUTION\n"
    assert nbutil.regions(src, SOLUTION_BEGIN, SOLUTION_END) == ["    return x * 42"]
    assert nbutil.strip_region(src, SOLUTION_BEGIN, SOLUTION_END) == "def f(x):\n"


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_release_leaks_nothing(aid):
    """No solution code or hidden-test text from solutions/ appears in the release."""
    source = nbutil.read_notebook(nbutil.source_path(aid))
    release = nbutil.read_notebook(nbutil.release_path(aid))
    where = nbutil.notebook_relpath(RELEASE_DIR, aid)

    def secret_lines(begin, end):
        inside, outside = set(), set()
        for cell in source.cells:
            text = nbutil.source(cell)
            for block in nbutil.regions(text, begin, end):
                inside.update(ln.strip() for ln in block.splitlines() if ln.strip())
            # Lines outside this kind of region (in any cell) may legitimately be released.
            outside.update(ln.strip() for ln in nbutil.strip_region(text, begin, end).splitlines())
        return inside - outside - nbutil.STUB_LINES

    solution_only = secret_lines(SOLUTION_BEGIN, SOLUTION_END)
    hidden_only = secret_lines(HIDDEN_BEGIN, HIDDEN_END)
    problems = []
    for i, cell in enumerate(release.cells):
        label = nbutil.describe(cell, i)
        text = nbutil.source(cell)
        for word in MARKER_WORDS:
            if word in text:
                problems.append(f"{label}: contains the marker {word!r}")
        for line in dict.fromkeys(ln.strip() for ln in text.splitlines() if ln.strip()):
            if line in solution_only:
                problems.append(f"{label}: solution code leaked: {line!r}")
            elif line in hidden_only:
                problems.append(f"{label}: hidden-test text leaked: {line!r}")
    assert not problems, _fail_lines(f"{where} leaks instructor-only text:", problems)


# =============================================================================== sync

@pytest.mark.slow
@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_release_in_sync(aid, scratch_course):
    """The committed release is exactly what `nbgrader generate_assignment` makes now."""
    generated = scratch_course.generate(aid)
    committed = nbutil.release_path(aid)
    where = nbutil.notebook_relpath(RELEASE_DIR, aid)
    problems = nbutil.diff_notebooks(nbutil.read_json(generated), nbutil.read_json(committed),
                                     "generated", "committed")
    # Other files the release step copies (data, images) must be committed too.
    for path in sorted(generated.parent.rglob("*")):
        rel = path.relative_to(generated.parent)
        if path.is_file() and path != generated:
            twin = committed.parent / rel
            if not twin.is_file():
                problems.append(f"generated file {RELEASE_DIR}/{aid}/{rel} is not committed")
            elif twin.read_bytes() != path.read_bytes():
                problems.append(f"committed {RELEASE_DIR}/{aid}/{rel} differs from the generated one")
    assert not problems, _fail_lines(
        f"{where} is out of date with {nbutil.notebook_relpath(SOURCE_DIR, aid)}; regenerate it with "
        f"`nbgrader generate_assignment {aid} --force`:", problems)


# ========================================================================== execution

def _validate(path):
    """nbgrader's Validator over `path` with the course config, every cell checked."""
    from nbgrader.validator import Validator

    config = nbutil.load_nbgrader_config()
    config.Validator.validate_all = True  # errors/stderr in any cell count, not only graded ones
    return Validator(config=config).validate(str(path))


@pytest.mark.slow
@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_solution_passes_validation(aid, tmp_path, isolated_environ):
    """The instructor notebook runs cleanly and every graded test passes."""
    src = nbutil.source_path(aid)
    source = nbutil.read_notebook(src)
    where = nbutil.notebook_relpath(SOURCE_DIR, aid)
    nbutil.copy_assignment(src.parent, tmp_path / aid)
    results = _validate(tmp_path / aid / src.name)

    def locate(text):
        for i, cell in enumerate(source.cells):
            if nbutil.source(cell).strip() == text:
                return nbutil.describe(cell, i)
        return f"cell starting {nbutil.first_line(text)!r}"

    problems = []
    for item in results.get("type_changed", []):
        problems.append(f"{locate(item['source'])}: cell type changed {item['old_type']} -> {item['new_type']}")
    for item in results.get("changed", []):
        problems.append(f"{locate(item['source'])}: locked cell content changed (checksum)")
    for item in results.get("failed", []):
        error = "\n".join(nbutil.strip_ansi(item.get("raw_error", "")).strip().splitlines()[-12:])
        problems.append(f"{locate(item['source'])} failed (error or stderr output):\n{nbutil.indent(error, '      ')}")
    assert not problems, _fail_lines(f"{where} does not validate:", problems)


@pytest.mark.slow
@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_release_scores_zero(aid, tmp_path, nb_env):
    """Untouched release: every graded test cell errors; all other non-answer cells run."""
    rel = nbutil.release_path(aid)
    nbutil.read_notebook(rel)  # fails clearly when missing
    where = nbutil.notebook_relpath(RELEASE_DIR, aid)
    nbutil.copy_assignment(rel.parent, tmp_path / aid)
    nb = nbutil.read_notebook(tmp_path / aid / rel.name)
    try:
        nbutil.execute_notebook(nb, tmp_path / aid, env=nb_env)
    except Exception as exc:  # kernel died, timeout without interrupt, ...
        pytest.fail(f"{where}: execution aborted: {type(exc).__name__}: {exc}")

    problems, graded = [], 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        label = nbutil.describe(cell, i)
        errors = nbutil.errors_of(cell)
        if nbutil.is_graded(cell):
            graded += 1
            if not errors:
                problems.append(f"{label}: graded test cell PASSES on the untouched release "
                                "(an untouched notebook must score 0)")
        elif nbutil.is_answer(cell):
            unexpected = [e for e in errors if not e.startswith("NotImplementedError")]
            if unexpected:
                problems.append(f"{label}: answer stub raised {unexpected[0]} (only NotImplementedError is expected)"
                                f"\n{nbutil.indent(nbutil.traceback_tail(cell), '      ')}")
        elif errors:
            tail = nbutil.indent(nbutil.traceback_tail(cell), "      ")
            problems.append(f"{label}: non-graded cell fails in the release ({errors[0]}); demo cells must "
                            f"not depend on the learner's answers\n{tail}")
    if graded == 0:
        problems.append("no graded test cells at all")
    assert not problems, _fail_lines(f"{where} (executed untouched):", problems)


# ============================================================================== twins

def _learner_namespace(aid):
    """Execute a solution notebook's setup cell and answer cells in a fresh namespace.

    Code cells that are neither answers nor tests contribute only their imports and
    top-level def/class statements (helpers an answer may build on), never demos.
    """
    import matplotlib

    matplotlib.use("Agg")
    path = nbutil.source_path(aid)
    nb = nbutil.read_notebook(path)
    where = nbutil.notebook_relpath(SOURCE_DIR, aid)
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    last_answer = max((k for k, (_, c) in enumerate(code) if nbutil.is_answer(c)), default=-1)
    ns = {"__name__": f"__{aid}__"}
    for k, (i, cell) in enumerate(code[: last_answer + 1]):
        src = _strip_magics(nbutil.source(cell))
        if k == 0 or nbutil.is_answer(cell):
            tree = ast.parse(src)
        elif nbutil.is_graded(cell):
            continue
        else:
            keep = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
            tree = ast.Module(body=[n for n in ast.parse(src).body if isinstance(n, keep)], type_ignores=[])
            if not tree.body:
                continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(tree, f"{where} cell {i}", "exec"), ns)
        except Exception as exc:
            raise AssertionError(f"{nbutil.describe(cell, i, where)} raised {type(exc).__name__}: {exc}") from exc
    return ns


@pytest.fixture(scope="module")
def learner_code():
    cache = {}

    def get(aid):
        if aid not in cache:
            try:
                cache[aid] = ("ok", _learner_namespace(aid))
            except AssertionError as exc:
                cache[aid] = ("error", str(exc))
        status, value = cache[aid]
        if status != "ok":
            raise AssertionError(value)
        return value

    return get


def close(label, actual, expected, rtol=1e-7, atol=1e-10):
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape, f"{label}: shape {actual.shape}, nnlib gives {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=f"{label} differs from nnlib")


class strict_numpy:
    """Floating-point overflow/invalid/divide and any warning become errors."""

    def __enter__(self):
        self._err = np.errstate(over="raise", invalid="raise", divide="raise")
        self._warn = warnings.catch_warnings()
        self._err.__enter__()
        self._warn.__enter__()
        warnings.simplefilter("error")
        return self

    def __exit__(self, *exc):
        self._warn.__exit__(*exc)
        return self._err.__exit__(*exc)


def twin_neuron(mine, ref, rng):
    for n in (1, 3, 7):
        x, w = rng.standard_normal(n), rng.standard_normal(n)
        b = float(rng.standard_normal())
        for kind, conv in (("lists", lambda v: [float(t) for t in v]), ("1-D arrays", np.array)):
            got = mine(conv(x), conv(w), b)
            assert isinstance(got, (float, np.floating)), f"returns {type(got).__name__} for {kind}, expected float"
            close(f"n={n} on {kind}", got, ref(conv(x), conv(w), b), rtol=1e-12)


twin_neuron_vectorised = twin_neuron


def twin_equal(mine, ref, rng):
    assert type(mine) is type(ref), f"type {type(mine).__name__}, nnlib has {type(ref).__name__}"
    assert mine == ref, f"value {mine!r}, nnlib has {ref!r}"


def twin_lowercase_string(mine, ref, rng):
    assert isinstance(mine, str), f"type {type(mine).__name__}, expected str"
    assert mine.strip().lower() == ref.lower(), f"value {mine!r}, nnlib has {ref!r}"


def twin_add_bias_column(mine, ref, rng):
    for shape in ((4, 3), (1, 5), (6, 1)):
        X = rng.standard_normal(shape)
        before = X.copy()
        got = mine(X)
        assert X.shape == before.shape and np.array_equal(X, before), f"X {shape} was modified"
        assert got is not X, "returned X itself, expected a new array"
        close(f"add_bias_column(X {shape})", got, ref(X), rtol=0, atol=0)


def twin_linear_forward(mine, ref, rng):
    for m, n_in, n_out in ((5, 3, 2), (1, 4, 6), (7, 2, 1)):
        X, W, b = rng.standard_normal((m, n_in)), rng.standard_normal((n_in, n_out)), rng.standard_normal((1, n_out))
        close(f"linear_forward X{X.shape} W{W.shape}", mine(X, W, b), ref(X, W, b))


def twin_LinearLayer(mine, ref, rng):
    import nnlib

    for act in (None, nnlib.SigmoidActivation, nnlib.ReLUActivation):
        name = act.__name__ if act else "default activation"
        a = mine(3, 4, activation=act() if act else None, rng=np.random.default_rng(7))
        r = ref(3, 4, activation=act() if act else None, rng=np.random.default_rng(7))
        close(f"{name}: W from rng seed 7", a.W, r.W, rtol=0, atol=0)
        close(f"{name}: b", a.b, r.b, rtol=0, atol=0)
        X = rng.standard_normal((5, 3))
        close(f"{name}: forward(X (5, 3))", a.forward(X), r.forward(X))
        close(f"{name}: Z after forward", a.Z, r.Z)
        close(f"{name}: A_prev after forward", a.A_prev, X, rtol=0, atol=0)


ACTIVATION_PARAMS = {
    "IdentityActivation": [{}],
    "LinearActivation": [{}, {"a": 2.5}],
    "SigmoidActivation": [{}],
    "TanhActivation": [{}],
    "BinaryStepActivation": [{}, {"thresh": 0.5}],
    "ReLUActivation": [{}, {"a": 0.5}],
    "LeakyReLUActivation": [{}, {"a": 2.0, "b": 0.1}],
    "SoftMaxActivation": [{}],
}


def _twin_activation(name):
    def check(mine, ref, rng):
        for params in ACTIVATION_PARAMS[name]:
            Z = rng.standard_normal((4, 5)) * 3
            Z[0, 0] = 0.0
            Z[1, 1] = params.get("thresh", 0.0)
            big = np.array([[-1e4, -1.0, 0.0, 1.0, 1e4], [1e4, 1e4 - 1.0, -1e4, 0.5, 2.0]])
            for label, Zc in (("Z (4, 5)", Z), ("Z with +-1e4", big)):
                tag = f"{name}({', '.join(f'{k}={v}' for k, v in params.items())}) on {label}"
                a, r = mine(**params), ref(**params)
                dA = rng.standard_normal(Zc.shape)
                with strict_numpy():
                    got_A = a.forward(Zc.copy())
                    got_dZ = a.backward(dA.copy())
                close(f"{tag}: forward", got_A, r.forward(Zc.copy()), atol=1e-12)
                close(f"{tag}: backward", got_dZ, r.backward(dA.copy()), atol=1e-12)
    return check


def twin_one_hot(mine, ref, rng):
    for m, c in ((7, 5), (1, 2), (10, 3)):
        y = rng.integers(0, c, size=m)
        got = mine(y, c)
        assert np.issubdtype(np.asarray(got).dtype, np.floating), f"dtype {np.asarray(got).dtype}, expected floats"
        close(f"one_hot(y of {m} labels, {c})", got, ref(y, c), rtol=0, atol=0)


def _probs(rng, m, c):
    logits = rng.standard_normal((m, c))
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _targets(rng, m, c):
    return np.eye(c)[rng.integers(0, c, size=m)]


def twin_categorical_crossentropy(mine, ref, rng):
    T, P = _targets(rng, 6, 4), _probs(rng, 6, 4)
    close("loss on (6, 4) probabilities", mine(T, P), ref(T, P))
    P0 = np.where(T == 1, 0.0, 1.0 / 3)  # zero probability on every true class
    with strict_numpy():
        got = mine(T, P0)
    close("loss with zeros in output (clipped to 1e-7)", got, ref(T, P0), rtol=1e-6)


def twin_crossentropy_gradient(mine, ref, rng):
    for m, c in ((6, 4), (1, 3)):
        T = _targets(rng, m, c)
        P = rng.uniform(0.05, 0.95, size=(m, c))
        close(f"gradient on ({m}, {c})", mine(T, P), ref(T, P))


def twin_softmax_crossentropy_gradient(mine, ref, rng):
    for m, c in ((6, 4), (1, 3)):
        T, P = _targets(rng, m, c), _probs(rng, m, c)
        close(f"gradient on ({m}, {c})", mine(T, P), ref(T, P))


def _forwarded_layer(rng, act):
    import nnlib

    layer = nnlib.LinearLayer(4, 3, activation=act() if act else None, rng=np.random.default_rng(3))
    layer.forward(rng.standard_normal((6, 4)))
    return layer


def twin_linear_backward(mine, ref, rng):
    import nnlib

    for act in (None, nnlib.SigmoidActivation, nnlib.ReLUActivation):
        name = act.__name__ if act else "identity"
        layer = _forwarded_layer(rng, act)
        a, r = copy.deepcopy(layer), copy.deepcopy(layer)
        dA = rng.standard_normal((6, 3))
        got = mine(a, dA.copy())
        want = ref(r, dA.copy())
        close(f"{name} layer: returned dA_prev", got, want)
        close(f"{name} layer: dW", a.dW, r.dW)
        close(f"{name} layer: db", a.db, r.db)


def twin_numerical_gradient(mine, ref, rng):
    for shape, h in (((3, 4), 1e-5), ((5,), 1e-4)):
        x0 = rng.standard_normal(shape)
        C = rng.standard_normal(shape)
        xa, xr = x0.copy(), x0.copy()
        got = mine(lambda: np.sum(np.sin(xa) * C) + np.sum(xa ** 2), xa, h=h)
        want = ref(lambda: np.sum(np.sin(xr) * C) + np.sum(xr ** 2), xr, h=h)
        assert np.array_equal(xa, x0), f"x {shape} not restored after numerical_gradient"
        close(f"gradient of x {shape}, h={h}", got, want, rtol=1e-6, atol=1e-8)


def twin_relative_error(mine, ref, rng):
    a, b = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    cases = [("random", a, b), ("nearly equal", a, a + 1e-9), ("equal", a, a.copy()), ("tiny", a * 1e-9, b * 1e-9),
             ("both zero", np.zeros((2, 3)), np.zeros((2, 3)))]
    for label, x, y in cases:
        got = mine(x, y)
        assert np.ndim(got) == 0, f"{label}: returns shape {np.shape(got)}, expected a scalar"
        close(f"relative_error on {label} arrays", got, ref(x, y))


def twin_sgd_step(mine, ref, rng):
    import nnlib

    layer = _forwarded_layer(rng, nnlib.SigmoidActivation)
    layer.backward(rng.standard_normal((6, 3)))
    a, r = copy.deepcopy(layer), copy.deepcopy(layer)
    W_obj, b_obj = a.W, a.b
    mine(a, 0.3)
    ref(r, 0.3)
    assert a.W is W_obj and a.b is b_obj, "W/b were replaced by new arrays, expected in-place updates"
    close("W after sgd_step(lr=0.3)", a.W, r.W)
    close("b after sgd_step(lr=0.3)", a.b, r.b)


def twin_NeuralNet(mine, ref, rng):
    import nnlib

    centres = np.array([[-3.0, 0.0], [3.0, 0.0], [0.0, 3.5]])
    y = np.repeat(np.arange(3), 40)
    X = centres[y] + 0.8 * rng.standard_normal((y.size, 2))

    def layers():
        return [nnlib.LinearLayer(2, 8, activation=nnlib.ReLUActivation(), rng=np.random.default_rng(0)),
                nnlib.LinearLayer(8, 3, activation=nnlib.SoftMaxActivation(), rng=np.random.default_rng(1))]

    arch = layers()
    net = mine(arch, lr=0.5, epochs=300)
    assert list(net.layers) == arch and net.lr == 0.5 and net.epochs == 300, \
        "__init__ must store layers, lr and epochs as attributes of the same names"
    with strict_numpy():
        assert net.fit(X, y) is net, "fit must return self"
        P = net.predict_proba(X)
        pred = np.asarray(net.predict(X))
    assert np.shape(P) == (y.size, 3), f"predict_proba shape {np.shape(P)}, expected {(y.size, 3)}"
    close("predict_proba row sums", np.sum(P, axis=1), np.ones(y.size), rtol=1e-9)
    assert pred.shape == y.shape, f"predict shape {pred.shape}, expected {y.shape}"
    assert set(np.unique(pred)) <= {0, 1, 2}, f"predict gives labels {np.unique(pred)}, expected 0, 1, 2"
    ref_pred = ref(layers(), lr=0.5, epochs=300, random_state=0).fit(X, y).predict(X)
    acc, ref_acc, agree = np.mean(pred == y), np.mean(ref_pred == y), np.mean(pred == ref_pred)
    assert acc >= 0.9 and ref_acc >= 0.9, f"training accuracy {acc:.2f} (nnlib {ref_acc:.2f}), expected >= 0.9"
    assert agree >= 0.9, f"predictions agree with nnlib's on only {agree:.0%} of the points"


TWINS = {
    "neuron": twin_neuron,
    "neuron_vectorised": twin_neuron_vectorised,
    "brain_to_ann": twin_equal,
    "add_bias_column": twin_add_bias_column,
    "linear_forward": twin_linear_forward,
    "LinearLayer": twin_LinearLayer,
    "matmul_slower_than_loops": twin_equal,
    **{name: _twin_activation(name) for name in ACTIVATION_PARAMS},
    "bounded_0_1_activation": twin_lowercase_string,
    "unbounded_activation": twin_lowercase_string,
    "one_hot": twin_one_hot,
    "categorical_crossentropy": twin_categorical_crossentropy,
    "crossentropy_gradient": twin_crossentropy_gradient,
    "softmax_crossentropy_gradient": twin_softmax_crossentropy_gradient,
    "linear_backward": twin_linear_backward,
    "numerical_gradient": twin_numerical_gradient,
    "relative_error": twin_relative_error,
    "sgd_step": twin_sgd_step,
    "NeuralNet": twin_NeuralNet,
}


@pytest.mark.parametrize("aid,name", EXERCISE_PAIRS)
def test_solution_matches_nnlib_twin(aid, name, learner_code):
    """The notebook's solution behaves like nnlib's counterpart of the same name."""
    import nnlib
    from nncourse import quiz

    where = f"{nbutil.notebook_relpath(SOURCE_DIR, aid)} answer cell {name!r}"
    assert name in TWINS, f"no twin comparison written for {name!r} (tests/course/test_notebooks.py TWINS)"
    # Functions and classes have their twin in nnlib; the answers to questions are course content.
    home = quiz if name in nbutil.VALUE_EXERCISES else nnlib
    assert hasattr(home, name), f"{home.__name__} has no counterpart named {name!r}"
    assert not hasattr(nnlib, name) or home is nnlib, f"nnlib must not carry the answer {name!r}"
    ns = learner_code(aid)
    assert name in ns, f"{where}: executing the answer cells does not define {name!r}"
    mine, ref = ns[name], getattr(home, name)
    if callable(ref):
        assert mine is not ref, f"{where}: {name!r} is nnlib's own object, not the notebook's solution"
    try:
        TWINS[name](mine, ref, np.random.default_rng(1234))
    except AssertionError as exc:
        raise AssertionError(f"{where} differs from {home.__name__}.{name}: {exc}") from None
    except Exception as exc:
        raise AssertionError(f"{where}: comparing with {home.__name__}.{name} raised "
                             f"{type(exc).__name__}: {exc}") from exc
