"""Tests of nncourse.testing, the checking layer behind every graded notebook cell.

A check that never fails grades nothing, so each check is exercised on a right
answer (silent) and on wrong answers (AssertionError whose message tells the
learner what was expected, what came back and, where known, why).
"""
import ast
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import nnlib

from nncourse import misconceptions as M
from nncourse import testing as T


def failure(check, *args, **kwargs):
    """The message of the AssertionError that ``check(*args, **kwargs)`` must raise."""
    with pytest.raises(AssertionError) as info:
        check(*args, **kwargs)
    return str(info.value)


# --- check_close -----------------------------------------------------------

@pytest.mark.parametrize("actual, expected", [
    (0.5, 0.5),
    (np.float32(0.25), 0.25),
    ([[1.0, 2.0, 3.0]], np.array([[1.0, 2.0, 3.0]])),
    (np.array([1.0, 2.0]) + 1e-12, [1.0, 2.0]),
    (np.array([np.inf, -1.0]), [np.inf, -1.0]),
    (np.arange(6, dtype=np.float32).reshape(2, 3), np.arange(6.0).reshape(2, 3)),
])
def test_check_close_passes_on_right_values(actual, expected):
    assert T.check_close("value", actual, expected) is None


def test_check_close_reports_values_and_largest_difference():
    message = failure(T.check_close, "sigmoid.forward(Z)",
                      np.array([[0.1, 0.5, 0.9]]), [[0.25, 0.5, 0.875]])
    assert "sigmoid.forward(Z)" in message
    assert "values differ" in message
    assert "expected: [[0.25" in message and "actual:   [[0.1" in message
    assert "largest absolute difference: 0.15 at index (0, 0)" in message
    assert "2 of 3 entries differ" in message


def test_check_close_reports_both_shapes():
    message = failure(T.check_close, "Z", np.ones((3, 2)), np.ones((2, 3)))
    assert "expected (2, 3), got (3, 2)" in message
    assert "transposed" in message


def test_check_close_hints_at_missing_keepdims():
    message = failure(T.check_close, "row sums", np.ones(4), np.ones((4, 1)))
    assert "expected (4, 1), got (4,)" in message and "keepdims" in message


def test_check_close_rejects_nan_and_inf():
    message = failure(T.check_close, "softmax", np.array([[np.nan, 0.5]]), [[0.5, 0.5]])
    assert "nan or inf" in message and "(0, 0)" in message and "overflow" in message


def test_check_close_rejects_none_and_non_numbers():
    assert "forget to `return`" in failure(T.check_close, "neuron(x, w, b)", None, 1.0)
    assert "str" in failure(T.check_close, "neuron(x, w, b)", "1.0", 1.0)
    assert "dict" in failure(T.check_close, "neuron(x, w, b)", {"a": 1.0}, 1.0)


def test_check_close_summarises_big_arrays():
    actual = np.zeros((20, 30))
    expected = np.zeros((20, 30))
    expected[7, 11] = 2.5
    message = failure(T.check_close, "big", actual, expected)
    assert "array of shape (20, 30)" in message
    assert "2.5 at index (7, 11)" in message and "1 of 600 entries differ" in message
    assert len(message) < 600


def test_check_close_respects_tolerances():
    T.check_close("loose", 1.001, 1.0, rtol=1e-2)
    failure(T.check_close, "strict", 1.001, 1.0)


def test_check_close_appends_hint_of_matching_wrong_answer():
    wrong = [([[2.0, 3.0]], "you returned the input"), ([[9.0, 9.0]], "unrelated")]
    message = failure(T.check_close, "relu", [[2.0, 3.0]], [[0.0, 3.0]], wrong=wrong)
    assert "Hint: you returned the input" in message
    assert "unrelated" not in message


def test_check_close_wrong_hint_also_explains_a_shape_error():
    wrong = [(np.ones((3, 2)), "W @ X instead of X @ W")]
    message = failure(T.check_close, "Z", np.ones((3, 2)), np.ones((2, 3)), wrong=wrong)
    assert "Hint: W @ X instead of X @ W" in message


def test_check_close_without_matching_wrong_answer_has_no_extra_hint():
    message = failure(T.check_close, "relu", [[5.0, 3.0]], [[0.0, 3.0]],
                      wrong=[([[2.0, 3.0]], "you returned the input")])
    assert "returned the input" not in message


def test_check_close_emits_no_warnings_of_its_own():
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        failure(T.check_close, "x", np.array([np.inf, np.nan, 1.0]), [1.0, 1.0, 1.0])
        failure(T.check_close, "x", np.array([1.0, 1e308]), [1.0, -1e308])


# --- check_shape, check_type, check_true -----------------------------------

def test_check_shape():
    T.check_shape("X", np.zeros((2, 3)), (2, 3))
    T.check_shape("x", [1.0, 2.0], (2,))
    message = failure(T.check_shape, "b", np.zeros((1, 3)), (3,))
    assert "expected (3,), got (1, 3)" in message and "extra dimension" in message
    assert "forget to `return`" in failure(T.check_shape, "b", None, (3,))
    assert "rectangular" in failure(T.check_shape, "x", [[1, 2], [3]], (2, 2))


def test_check_type():
    T.check_type("y", 1.5, float)
    T.check_type("y", np.float64(1.5), (float, np.floating))
    message = failure(T.check_type, "neuron(x, w, b)", [1.5], (float, np.floating))
    assert "a float or a floating" in message and "a list" in message and "[1.5]" in message


def test_check_true():
    T.check_true(True, "never shown")
    T.check_true(np.array([True, True]), "never shown")
    assert failure(T.check_true, False, "X must stay unchanged") == "X must stay unchanged"
    failure(T.check_true, np.array([True, False]), "all entries must hold")


# --- check_equal -----------------------------------------------------------

def test_check_equal_passes_on_equal_values():
    T.check_equal("n", 3, 3)
    T.check_equal("answer", "sigmoid", "sigmoid")
    T.check_equal("flag", np.bool_(False), False)
    T.check_equal("labels", np.array([0, 2, 1]), np.array([0, 2, 1]))
    T.check_equal("map", {"axon": "output", "soma": "node"}, {"soma": "node", "axon": "output"})


def test_check_equal_bool_must_be_a_bool():
    assert "bool False" in failure(T.check_equal, "flag", "False", False)
    assert "int" in failure(T.check_equal, "flag", 0, False)
    assert "should be True" in failure(T.check_equal, "flag", False, True)


def test_check_equal_dict_lists_every_problem():
    message = failure(T.check_equal, "brain_to_ann",
                      {"synapse": "weight", "axon": "input", "cell": "node"},
                      {"synapse": "weight", "axon": "output", "soma": "node"})
    assert "missing key 'soma'" in message
    assert "unexpected key 'cell'" in message
    assert "brain_to_ann['axon'] should be 'output', got 'input'" in message


def test_check_equal_strings_and_arrays():
    message = failure(T.check_equal, "answer", "Sigmoid", "sigmoid")
    assert "'sigmoid'" in message and "'Sigmoid'" in message and "upper/lower case" in message
    message = failure(T.check_equal, "labels", np.array([0, 1, 1]), np.array([0, 1, 2]))
    assert "1 of 3 entries differ" in message and "(2,)" in message
    assert "expected (3,), got (2,)" in failure(T.check_equal, "labels", np.array([0, 1]),
                                                np.array([0, 1, 2]))
    assert "got 4" in failure(T.check_equal, "n", 4, 5)


# --- check_own -------------------------------------------------------------

def learner_neuron(x, w, b):
    return sum(xi * wi for xi, wi in zip(x, w)) + b


def released_stub(x, w, b):
    """Return the neuron's output."""
    # YOUR CODE HERE
    raise NotImplementedError()


class LearnerActivation:
    def forward(self, Z):
        self.Z = Z
        return Z

    def backward(self, dA):
        raise NotImplementedError()


def test_check_own_accepts_learner_code():
    T.check_own(learner_neuron, "neuron")
    T.check_own({"synapse": "weight"}, "brain_to_ann")
    T.check_own(False, "matmul_slower_than_loops")


def test_check_own_rejects_none_stubs_and_nnlib():
    assert "is None" in failure(T.check_own, None, "brain_to_ann")
    assert "NotImplementedError" in failure(T.check_own, released_stub, "neuron")
    assert "backward" in failure(T.check_own, LearnerActivation, "SigmoidActivation")
    assert "comes from nnlib" in failure(T.check_own, nnlib.LinearLayer, "LinearLayer")
    assert "comes from nnlib" in failure(T.check_own, nnlib.neuron, "neuron")
    # The course package's objects are not the learner's either.
    assert "comes from nncourse" in failure(T.check_own, T.check_true, "neuron")
    assert "comes from nncourse" in failure(T.check_own, T.Checks, "LinearLayer")

    class Subclass(nnlib.SigmoidActivation):
        pass

    assert "comes from nnlib" in failure(T.check_own, Subclass, "SigmoidActivation")


# --- Checks ----------------------------------------------------------------

def test_checks_passes_silently_and_returns_outcomes():
    with T.Checks("all good") as c:
        assert c.close("a", [1.0], [1.0]) is True
        assert c.shape("b", np.zeros((2, 1)), (2, 1)) is True
        assert c.type("c", "s", str) is True
        assert c.equal("d", 2, 2) is True
        assert c.true(True, "never") is True
        assert c.own(learner_neuron, "neuron") is True


def test_checks_collects_every_failure_into_one_message():
    with pytest.raises(AssertionError) as info:
        with T.Checks("relu forward") as c:
            assert c.close("relu([-1, 2])", [-1.0, 2.0], [0.0, 2.0]) is False
            c.shape("relu(Z)", np.zeros(3), (1, 3))
            c.equal("answer", "tanh", "relu")
            c.true(1 + 1 == 2, "never shown")
            c.type("x", None, float)
    message = str(info.value)
    assert message.startswith("relu forward: 4 checks failed")
    assert "\n1. relu([-1, 2]): values differ" in message
    assert "\n2. relu(Z) has the wrong shape: expected (1, 3), got (3,)" in message
    assert "\n3. answer should be 'relu'" in message
    assert "\n4. x is None" in message
    assert "never shown" not in message


@pytest.mark.parametrize("error", [NotImplementedError(), NameError("name 'relu' is not defined")])
def test_checks_lets_the_body_exception_through(error):
    with pytest.raises(type(error)) as info:
        with T.Checks("stub") as c:
            c.close("a", 1.0, 2.0)  # an earlier failure must not mask the real error
            raise error
    assert info.value is error


# --- robustness ------------------------------------------------------------

def test_patching_numpy_after_import_does_not_change_grading(monkeypatch):
    always = lambda *args, **kwargs: True  # noqa: E731
    never = lambda *args, **kwargs: False  # noqa: E731
    monkeypatch.setattr(np, "allclose", always)
    monkeypatch.setattr(np, "isclose", lambda a, b, **kw: np.ones(np.shape(a), dtype=bool))
    monkeypatch.setattr(np, "array_equal", always)
    failure(T.check_close, "x", [1.0, 5.0], [1.0, 2.0])
    failure(T.check_close, "x", [1.0, 5.0], [1.0, 9.0], wrong=[([1.0, 9.0], "bogus")])
    failure(T.check_equal, "labels", np.array([1, 2]), np.array([1, 3]))
    monkeypatch.setattr(np, "allclose", never)
    monkeypatch.setattr(np, "isfinite", lambda a: np.zeros(np.shape(a), dtype=bool))
    T.check_close("x", [1.0, 2.0], [1.0, 2.0])


def test_quiet_emits_no_stderr_and_no_warnings(capfd):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with T.quiet() as captured:
            np.exp(np.array([1e4]))
            np.array([1.0]) / 0.0
            warnings.warn("noisy", UserWarning)
            print("to stderr", file=sys.stderr)
    assert caught == []
    assert capfd.readouterr().err == ""
    assert "to stderr" in captured.getvalue()
    assert np.geterr()["over"] == "warn"  # numpy's error state is restored afterwards


def test_helpers_hide_their_frames_from_tracebacks():
    try:
        T.check_close("x", [1.0, 5.0], [1.0, 2.0])
    except AssertionError as error:
        tb = error.__traceback__
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    inside = [f for f in frames if f.f_code.co_filename.startswith(COURSE_DIR)]
    assert inside and all(f.f_locals.get("__tracebackhide__") for f in inside)


COURSE_DIR = str(Path(T.__file__).parent)

# What a graded notebook's setup cell loads: the checks, the catalogue and the guard.
KERNEL_MODULES = sorted(
    path for path in (Path(T.__file__).parent).rglob("*.py")
    if path.parent.name != "widgets" and path.name not in ("manifest.py", "notebook.py", "figures.py"))


@pytest.mark.parametrize("path", KERNEL_MODULES, ids=lambda p: p.name)
def test_checks_import_only_numpy_and_stdlib(path):
    """The checks run in every learner's kernel before any answer: numpy and the stdlib only."""
    tree = ast.parse(path.read_text())
    top = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            top.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            top.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom):  # relative: only the course package's own modules
            assert node.module not in ("widgets", "manifest", "notebook", "figures"), node.module
    assert top - set(sys.stdlib_module_names) <= {"numpy"}


# --- misconception hints ----------------------------------------------------

def test_check_close_names_only_the_first_matching_mistake():
    wrong = [([[2.0, 3.0]], "first"), ([[2.0, 3.0]], "second")]
    message = failure(T.check_close, "relu", [[2.0, 3.0]], [[0.0, 3.0]], wrong=wrong)
    assert "Hint: first" in message and "second" not in message


def test_the_issue_example_dW_m_times_too_large():
    A_prev = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    dZ = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5], [0.25, 1.0, 1.0]])
    learner_dW = 3 * (A_prev.T @ dZ)  # multiplied by m = 3
    message = failure(T.check_close, "dW", learner_dW, A_prev.T @ dZ,
                      wrong=M.linear_backward_dW(A_prev, dZ))
    assert "dW is 3 × the expected value, with m = 3 samples" in message
    assert "multiply by m" in message
    message = failure(T.check_close, "dW", learner_dW / 9, A_prev.T @ dZ,
                      wrong=M.linear_backward_dW(A_prev, dZ))
    assert "dW is 1/3 × the expected value, with m = 3 samples" in message
    assert "already lives in the loss gradient" in message


@pytest.mark.parametrize("actual, fact", [
    (np.array([[2.0, -4.0, 6.0]]), "It is 2 × the expected value."),
    (np.array([[0.25, -0.5, 0.75]]), "It is 1/4 × the expected value."),
    (np.array([[-1.0, 2.0, -3.0]]), "opposite sign"),
    (np.array([[1.0], [-2.0], [3.0]]), "transpose of the expected result"),
    (np.zeros((1, 3)), "It is all zeros."),
])
def test_check_close_states_an_obvious_relation(actual, fact):
    message = failure(T.check_close, "grad", actual, [[1.0, -2.0, 3.0]])
    assert f"Note: {fact}" in message or fact in message


def test_check_close_states_no_relation_for_unrelated_values():
    assert "Note:" not in failure(T.check_close, "grad", [[1.0, 5.0, 3.0]], [[1.0, -2.0, 3.0]])


def test_a_known_mistake_replaces_the_generic_shape_hint():
    b_column = np.zeros((2, 1))
    for check in (T.check_close, T.check_shape):
        args = ("layer.b", b_column, np.zeros((1, 2))) if check is T.check_close else \
            ("layer.b", b_column, (1, 2))
        message = failure(check, *args, wrong=M.layer_bias(2))
        assert "not a column" in message
        assert "looks transposed" not in message
        assert message.count("Hint:") == 1


def test_check_unchanged():
    before = np.array([[1.0, -2.0], [3.0, 0.0]])
    T.check_unchanged("Z after forward(Z)", before.copy(), before)
    T.check_unchanged("x with nan", np.array([np.nan, 1.0]), np.array([np.nan, 1.0]))
    after = before.copy()
    after[after < 0] = 0.0
    message = failure(T.check_unchanged, "Z after forward(Z)", after, before)
    assert "changed by the call" in message and "1 of 4 entries" in message and "(0, 1)" in message
    assert "in-place" in message
    message = failure(T.check_unchanged, "x", after, before, hint="restore x[k]")
    assert message.endswith("Hint: restore x[k]")


def test_type_hints_for_common_slips():
    assert "float(...)" in failure(T.check_type, "neuron([1], [2], 3)", 5, float)
    assert "float(...)" in failure(T.check_type, "neuron([1], [2], 3)", np.int64(5), float)
    assert "without quotes" in failure(T.check_type, "answer", "False", (bool, np.bool_))
    assert "single number" in failure(T.check_type, "neuron(x, w, b)", np.array([1.5]), float)


def test_check_equal_with_known_wrong_answers():
    T.check_equal("answer", False, False, wrong=[(True, "never shown")])
    message = failure(T.check_equal, "answer", True, False, wrong=[(True, "look at the plot")])
    assert message.endswith("Hint: look at the plot")
    message = failure(T.check_equal, "brain_to_ann", {"synapse": "weight", "dendrite": "output",
                                                      "soma": "node", "axon": "input"},
                      {"synapse": "weight", "dendrite": "input", "soma": "node", "axon": "output"},
                      wrong=M.brain_to_ann())
    assert "dendrites receive" in message.lower() and "axon carries" in message
    assert "lower case" in failure(T.check_equal, "d", {"Soma": "node"}, {"soma": "node"})


def test_none_of_an_attribute_is_not_a_missing_return():
    message = failure(T.check_close, "layer.A_prev after forward(X)", None, [[1.0]])
    assert "never set" in message and "self.A_prev" in message and "return" not in message
    assert "forget to `return`" in failure(T.check_close, "neuron(x, w, b)", None, 1.0)


# --- errors and warnings inside a Checks block --------------------------------

def test_checks_adds_the_likely_cause_to_a_shape_error():
    X, W = np.ones((4, 3)), np.ones((3, 2))
    with pytest.raises(ValueError) as info:
        with T.Checks("linear_forward"):
            X @ W.T
    assert "matmul" in str(info.value)
    notes = info.value.__notes__
    assert len(notes) == 1 and notes[0].startswith("Hint:") and "transposed operand" in notes[0]
    with pytest.raises(ValueError) as info:
        with T.Checks("softmax"):
            np.ones((2, 3)) - np.ones((2, 3)).max(axis=1)
    assert "keepdims=True" in info.value.__notes__[-1]


def test_checks_exercise_hints_come_first_and_stubs_stay_untouched():
    with pytest.raises(IndexError) as info:
        with T.Checks("predict", errors={IndexError: "argmax over axis=1"}):
            np.arange(3)[[5]]
    assert info.value.__notes__ == ["Hint: argmax over axis=1"]
    for error in (NotImplementedError(), NameError("name 'relu' is not defined")):
        with pytest.raises(type(error)) as info:
            with T.Checks("stub"):
                raise error
        assert not hasattr(info.value, "__notes__")


def test_checks_keeps_earlier_failures_when_the_body_raises():
    with pytest.raises(ValueError) as info:
        with T.Checks("layer") as c:
            c.close("layer.b", np.zeros(2), np.zeros((1, 2)))
            np.ones((4, 2)) + np.ones((2, 1)).T.T
    notes = info.value.__notes__
    assert notes[0].startswith("Before this error, 1 check of 'layer' had already failed:")
    assert "layer.b has the wrong shape" in notes[0]
    assert notes[-1].startswith("Hint:")


def test_checks_call_turns_a_warning_into_a_named_failure(capfd):
    def naive_sigmoid(Z):
        return 1 / (1 + np.exp(-Z))

    with pytest.raises(AssertionError) as info:
        with T.Checks("sigmoid") as c:
            A = c.call("forward(Z) with entries of ±1e4", naive_sigmoid, np.array([-1e4, 1e4]))
            c.close("forward(Z)", A, [0.0, 1.0])
    message = str(info.value)
    assert message.startswith("sigmoid: 1 check failed")
    assert "overflow encountered in exp" in message and "exp(-|z|)" in message
    with pytest.raises(AssertionError) as info:
        with T.Checks("relative_error") as c:
            c.call("relative_error(0, 0)", lambda: np.array([0.0]) / 0.0, hint="use the 1e-8 floor")
    assert str(info.value).endswith("Hint: use the 1e-8 floor")
    with pytest.raises(AssertionError) as info:
        with T.Checks("noisy") as c:
            c.call("noisy()", lambda: print("debug", file=sys.stderr))
    assert "wrote to stderr" in str(info.value)
    assert capfd.readouterr().err == ""


def test_checks_call_passes_results_through_and_exceptions_on():
    with T.Checks("quiet") as c:
        assert c.call("abs(-2)", abs, -2) == 2
    with pytest.raises(ZeroDivisionError) as info:
        with T.Checks("divide") as c:
            c.call("1 / 0", lambda: 1 / 0)
    assert "floor" in info.value.__notes__[-1]


@pytest.mark.parametrize("error, words", [
    (ValueError("shapes (4,3) and (2,3) not aligned: 3 (dim 1) != 2 (dim 0)"), "transposed"),
    (ValueError("operands could not be broadcast together with shapes (2,3) (2,)"), "keepdims"),
    (ValueError("The truth value of an array with more than one element is ambiguous."), "np.where"),
    (TypeError("can't multiply sequence by non-int of type 'list'"), "np.asarray"),
    (TypeError("unsupported operand type(s) for +: 'NoneType' and 'float'"), "`return`"),
    (TypeError("neuron() takes 3 positional arguments but 4 were given"), "signature"),
    (AttributeError("'NoneType' object has no attribute 'forward'"), "None"),
    (AttributeError("'SigmoidActivation' object has no attribute 'A'"), "store what a later method"),
    (IndexError("index 3 is out of bounds for axis 1 with size 3"), "n - 1"),
    (IndexError("arrays used as indices must be of integer (or boolean) type"), ".astype(int)"),
    (RuntimeError("something else"), None),
])
def test_explain_error(error, words):
    hint = T.explain_error(error)
    assert (words in hint) if words else hint == ""


# --- what a learner sees --------------------------------------------------------

def test_failures_render_without_helper_frames_outside_ipython():
    try:
        T.check_close("x", [1.0, 5.0], [1.0, 2.0])
    except AssertionError as error:
        lines = error._render_traceback_()
        assert type(error).__name__ == "AssertionError"
    text = "\n".join(lines)
    assert COURSE_DIR not in text
    assert lines[-1].startswith("  largest absolute difference: 3 at index (1,)")
    assert "test_failures_render_without_helper_frames_outside_ipython" in text


@pytest.mark.slow
def test_learner_sees_the_cell_line_then_the_message_in_a_kernel(tmp_path, nb_env):
    """In Jupyter: no frame of the course checks, the message last, nothing on stderr."""
    import re

    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    cells = [
        "import numpy as np\nfrom nncourse import testing as T",
        'T.check_close("relu(Z)", np.array([[-1.0, 2.0]]), [[0.0, 2.0]])',
        'with T.Checks("two checks") as c:\n    c.close("a", 1.0, 2.0)\n    c.equal("b", 1, 2)',
        'with T.Checks("quiet") as c:\n    c.call("exp", np.exp, np.array([1e4]))',
        'with T.Checks("forward") as c:\n    np.ones((4, 3)) @ np.ones((2, 3))',
    ]
    nb = new_notebook(cells=[new_code_cell(src) for src in cells])
    NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute(env=nb_env)
    assert nb.cells[0].outputs == []
    shown = []
    for cell in nb.cells[1:]:
        assert not [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert len(errors) == 1
        text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", "\n".join(errors[0].traceback)).rstrip()
        assert "nnlib/testing.py" not in text and "hidden" not in text, text
        assert "Cell In[" in text  # the learner's own line is shown
        shown.append((errors[0].ename, errors[0].evalue, text.splitlines()[-1]))
    for ename, evalue, last in shown[:3]:
        assert ename == "AssertionError" and last == evalue.splitlines()[-1]
    assert shown[0][2].endswith("1 of 2 entries differ.")
    assert "overflow encountered in exp" in shown[2][1]
    assert shown[3][0] == "ValueError" and shown[3][2].startswith("Hint: the shapes do not fit")


def test_helpers_write_nothing_to_stderr(capfd):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        failure(T.check_close, "x", np.array([np.inf, np.nan]), [1.0, 1.0],
                wrong=M.sigmoid(np.array([-1e4, 1e4])))
        failure(T.check_shape, "x", np.ones((2, 1)), (1, 2), wrong=M.layer_bias(2))
        failure(T.check_unchanged, "x", np.array([np.nan]), np.array([1.0]))
        failure(T.check_equal, "x", np.array([1, 2]), np.array([1, 3]))
        with pytest.raises(AssertionError):
            with T.Checks("all") as c:
                c.call("overflow", np.exp, np.array([1e4]))
                c.close("x", np.array([np.nan]), [0.0], wrong=M.softmax(np.array([[1e4, -1e4]])))
    assert capfd.readouterr().err == ""


# --- the misconception catalogue -------------------------------------------------

def _catalogue_calls():
    Z = np.array([[-1e4, -0.5, 0.0], [0.5, 2.0, 1e4]])
    dA = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
    Y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    P = np.array([[0.2, 0.0, 0.8], [1.0, 0.0, 0.0]])
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    return {
        "neuron": ([0.5, -1.0], [2.0, 1.0], 0.5), "brain_to_ann": (),
        "add_bias_column": (x,), "linear_forward": (x, np.ones((2, 3)), np.ones((1, 3))),
        "layer_weights": (2, 3, 0), "layer_bias": (3,), "matmul_slower_than_loops": (),
        "identity_backward": (Z, dA), "linear_activation": (Z, 2.0),
        "linear_activation_backward": (Z, dA, 2.0), "sigmoid": (Z,), "sigmoid_backward": (Z, dA),
        "tanh": (Z,), "tanh_backward": (Z, dA), "step": (Z, 0.5), "step_backward": (Z, dA),
        "relu": (Z, 2.0), "relu_backward": (Z, dA, 2.0), "leaky_relu": (Z, 2.0, 0.1),
        "leaky_relu_backward": (Z, dA, 2.0, 0.1), "softmax": (Z,), "softmax_backward": (Z, dA),
        "bounded_0_1_activation": (), "one_hot": (np.array([2, 0]), 3),
        "layer_forward": (x, np.ones((2, 3)), np.ones((1, 3)), np.tanh),
        "categorical_crossentropy": (Y, P), "crossentropy_gradient": (Y, P),
        "softmax_crossentropy_gradient": (Y, P), "linear_backward_dW": (x, dA[:, :2] @ x),
        "linear_backward_db": (dA,), "linear_backward_dA_prev": (dA, np.ones((2, 3))),
        "numerical_gradient": (lambda: float(np.sum(x ** 3)), x, 1e-3),
        "relative_error": (np.zeros(3), np.array([0.0, 1e-9, 1.0])),
        "sgd_step": (x, np.ones((1, 2)), x, np.ones((1, 2)), 0.1),
        "predict": (P, np.array([3, 7, 9])),
    }


def test_every_catalogue_function_is_exercised_here():
    assert set(_catalogue_calls()) == set(M.__all__)


@pytest.mark.parametrize("name", sorted(_catalogue_calls()))
def test_catalogue_functions_return_hints_without_warnings(name):
    args = _catalogue_calls()[name]
    x_before = args[1].copy() if name == "numerical_gradient" else None
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        result = getattr(M, name)(*args)
    lists = result if name in ("layer_forward", "sgd_step") else (result,)
    for entries in lists:
        assert entries, f"{name} found no mistake for its inputs"
        for value, hint in entries:
            assert isinstance(hint, str) and hint.strip() and hint.endswith((".", "?"))
            assert value is not None
    if x_before is not None:
        np.testing.assert_array_equal(args[1], x_before)  # x is restored


def test_catalogue_functions_never_raise_on_nonsense():
    for name in M.__all__:
        count = getattr(M, name).__wrapped__.__code__.co_argcount
        if count:
            result = getattr(M, name)(*([None] * count))
            assert isinstance(result, (list, tuple)), name


def test_layer_forward_returns_outputs_and_cached_Z():
    X, W, b = np.array([[1.0, -2.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.5, 0.5]])
    outputs, cached = M.layer_forward(X, W, b, lambda Z: np.maximum(Z, 0.0))
    np.testing.assert_allclose(outputs[0][0], [[1.5, -1.5]])          # Z instead of f(Z)
    np.testing.assert_allclose(cached[0][0], [[1.5, 0.0]])            # f(Z) stored as Z
