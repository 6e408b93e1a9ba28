"""Numerical stability at ±1e4 and clear errors on bad input."""
import warnings

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

import nnlib
from nnlib import (
    LinearLayer,
    NeuralNet,
    ReLUActivation,
    SoftMaxActivation,
    categorical_crossentropy,
    crossentropy_gradient,
    one_hot,
    softmax_crossentropy_gradient,
)

DTYPES = [np.float64, np.float32]


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Underflow to 0 is harmless and ignored by numpy by default; the rest must not happen.
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            yield


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_extremes(dtype):
    Z = np.array([[-1e4, -50.0, 0.0, 50.0, 1e4]], dtype=dtype)
    act = nnlib.SigmoidActivation()
    A = act.forward(Z)
    assert A.dtype == dtype
    assert np.all(np.isfinite(A))
    np.testing.assert_array_equal(A[0, [0, 2, 4]], np.array([0.0, 0.5, 1.0], dtype=dtype))
    dZ = act.backward(np.ones_like(Z))
    assert np.all(np.isfinite(dZ)) and dZ[0, 2] == pytest.approx(0.25)


@pytest.mark.parametrize("dtype", DTYPES)
def test_tanh_extremes(dtype):
    A = nnlib.TanhActivation().forward(np.array([[-1e4, 1e4]], dtype=dtype))
    np.testing.assert_array_equal(A, np.array([[-1.0, 1.0]], dtype=dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_extremes(dtype):
    Z = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 1e4], [-1e4, -1e4, 0.0]], dtype=dtype)
    act = SoftMaxActivation()
    A = act.forward(Z)
    assert A.dtype == dtype
    assert np.all(np.isfinite(A))
    np.testing.assert_allclose(A.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(A[0], [1.0, 0.0, 0.0], atol=1e-7)
    np.testing.assert_allclose(A[1], [1 / 3] * 3, rtol=1e-6)
    assert np.all(np.isfinite(act.backward(np.ones_like(Z))))


def test_softmax_is_per_row():
    Z = np.array([[1.0, 2.0, 3.0], [10.0, 0.0, 0.0]])
    A = SoftMaxActivation().forward(Z)
    e = np.exp(Z[0])
    np.testing.assert_allclose(A[0], e / e.sum())
    np.testing.assert_allclose(A.sum(axis=1), [1.0, 1.0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_crossentropy_finite_for_zero_and_one_probabilities(dtype):
    Y = np.array([[1, 0, 0], [0, 1, 0]], dtype=dtype)
    P = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]], dtype=dtype)
    loss = categorical_crossentropy(Y, P)
    assert loss.shape == (2,) and np.all(np.isfinite(loss))
    assert loss[0] == pytest.approx(-np.log(1e-7), rel=1e-4)
    assert loss[1] == pytest.approx(0.0, abs=1e-6)
    assert np.all(np.isfinite(crossentropy_gradient(Y, P)))
    np.testing.assert_allclose(softmax_crossentropy_gradient(Y, P), (P - Y) / 2)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_then_crossentropy_from_huge_logits(dtype):
    Z = np.array([[1e4, -1e4], [-1e4, 1e4]], dtype=dtype)
    P = SoftMaxActivation().forward(Z)
    loss = categorical_crossentropy(one_hot(np.array([1, 1]), 2), P)
    assert np.all(np.isfinite(loss))
    assert loss[0] > 10 and loss[1] < 1e-5


@pytest.mark.parametrize("dtype", DTYPES)
def test_network_accepts_and_keeps_float32(dtype):
    rng = np.random.default_rng(0)
    X = (rng.standard_normal((60, 3)) * 1e4).astype(dtype)
    y = (X[:, 0] > 0).astype(int)
    net = NeuralNet(epochs=20, random_state=0).fit(X, y)
    assert net.layers_[0].W.dtype == dtype
    proba = net.predict_proba(X)
    assert proba.dtype == dtype and np.all(np.isfinite(proba))


# ----------------------------------------------------------------- bad input
def _iris_like(n=20, n_features=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, n_features)), np.arange(n) % 3


def _seed_layers():
    return [
        LinearLayer(4, 10, activation=ReLUActivation()),
        LinearLayer(10, 5, activation=ReLUActivation()),
        LinearLayer(5, 3, activation=SoftMaxActivation()),
    ]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_X(bad):
    X, y = _iris_like()
    X[3, 2] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        NeuralNet(epochs=2).fit(X, y)


def test_one_dimensional_X():
    with pytest.raises(ValueError, match="Expected 2D array"):
        NeuralNet(epochs=2).fit(np.arange(6.0), [0, 1, 0, 1, 0, 1])


def test_ragged_X():
    with pytest.raises(ValueError, match="inhomogeneous|sequence"):
        NeuralNet(epochs=2).fit([[1.0, 2.0], [3.0]], [0, 1])


def test_ragged_input_to_layer():
    with pytest.raises(ValueError, match="rectangular"):
        LinearLayer(2, 2).forward([[1.0, 2.0], [3.0]])


def test_X_and_y_lengths_differ():
    X, y = _iris_like()
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        NeuralNet(epochs=2).fit(X, y[:-1])


def test_empty_X():
    with pytest.raises(ValueError, match="0 sample"):
        NeuralNet(epochs=2).fit(np.empty((0, 4)), np.empty(0))


def test_single_class():
    X, _ = _iris_like()
    with pytest.raises(ValueError, match="at least 2 classes.*only one class"):
        NeuralNet(epochs=2).fit(X, np.zeros(len(X)))


def test_X_does_not_match_first_layer():
    X, y = _iris_like(n_features=3)
    with pytest.raises(ValueError, match="X has 3 features but the first layer expects 4"):
        NeuralNet(_seed_layers(), epochs=2).fit(X, y)


def test_layers_do_not_chain():
    X, y = _iris_like()
    layers = [LinearLayer(4, 10, ReLUActivation()), LinearLayer(8, 3, SoftMaxActivation())]
    with pytest.raises(ValueError, match=r"layers\[0\] outputs 10 values but layers\[1\] expects 8"):
        NeuralNet(layers, epochs=2).fit(X, y)


def test_last_layer_must_be_softmax_with_one_unit_per_class():
    X, y = _iris_like()
    with pytest.raises(ValueError, match="SoftMaxActivation"):
        NeuralNet([LinearLayer(4, 3, ReLUActivation())], epochs=2).fit(X, y)
    with pytest.raises(ValueError, match="4 units but y has 3 classes"):
        NeuralNet([LinearLayer(4, 4, SoftMaxActivation())], epochs=2).fit(X, y)


def test_predict_with_wrong_number_of_features():
    X, y = _iris_like()
    net = NeuralNet(epochs=2, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but NeuralNet is expecting 4"):
        net.predict(X[:, :3])


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="before forward"):
        LinearLayer(3, 2).backward(np.ones((4, 2)))
    for cls in nnlib.ACTIVATIONS.values():
        with pytest.raises(RuntimeError, match="before forward"):
            cls().backward(np.ones((2, 3)))


def test_backward_with_wrong_shape():
    act = ReLUActivation()
    act.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"dA has shape \(3, 2\).*\(2, 3\)"):
        act.backward(np.ones((3, 2)))


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        NeuralNet().predict(np.ones((2, 4)))


def test_bad_hyperparameters():
    X, y = _iris_like()
    with pytest.raises(ValueError, match="lr must be a positive number"):
        NeuralNet(lr=-0.1, epochs=2).fit(X, y)
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        NeuralNet(epochs=0).fit(X, y)
    with pytest.raises(ValueError, match="batch_size"):
        NeuralNet(batch_size=0, epochs=2).fit(X, y)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        NeuralNet(optimizer="rmsprop", epochs=2).fit(X, y)


def test_divergence_is_reported_not_silent():
    X, y = _iris_like(n=30)
    with pytest.raises(ValueError, match="training diverged"):
        NeuralNet(lr=1e6, epochs=50, standardize=False, activation="identity", random_state=0).fit(X * 1e3, y)


def test_function_level_errors():
    with pytest.raises(ValueError, match="same shape"):
        categorical_crossentropy(np.ones((2, 3)), np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"labels must lie in 0..2"):
        one_hot(np.array([0, 3]), 3)
    with pytest.raises(TypeError, match="numbers"):
        nnlib.SigmoidActivation().forward(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="W expects 3"):
        nnlib.linear_forward(np.ones((2, 4)), np.ones((3, 2)), np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"b must have shape \(1, 2\)"):
        nnlib.linear_forward(np.ones((2, 3)), np.ones((3, 2)), np.zeros(2))
    with pytest.raises(TypeError, match="activation must be an activation object"):
        LinearLayer(2, 2, activation="relu")
    with pytest.raises(ValueError, match="same length"):
        nnlib.neuron([1, 2], [1], 0)
