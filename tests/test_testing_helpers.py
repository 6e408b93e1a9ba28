"""Tests of nnlib.testing, the checking layer behind every graded notebook cell.

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

from nnlib import testing as T


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
    # nnlib.testing is part of nnlib, so its objects stand in for the reference twins.
    assert "comes from nnlib" in failure(T.check_own, T.check_true, "neuron")
    assert "comes from nnlib" in failure(T.check_own, T.Checks, "LinearLayer")

    class Subclass(T.Checks):
        pass

    assert "comes from nnlib" in failure(T.check_own, Subclass, "LinearLayer")


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
        T.check_close("x", 1.0, 2.0)
    except AssertionError as error:
        tb = error.__traceback__
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    inside = [f for f in frames if f.f_code.co_filename == T.__file__]
    assert inside and all(f.f_locals.get("__tracebackhide__") for f in inside)


def test_module_imports_only_numpy_and_stdlib():
    tree = ast.parse(Path(T.__file__).read_text())
    top = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            top.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            top.add((node.module or ".").split(".")[0])
    assert top - set(sys.stdlib_module_names) == {"numpy"}
