"""Numerical gradient checks of every backward pass in nnlib (float64)."""
import numpy as np
import pytest

import nnlib
from nnlib import (
    LinearLayer,
    NeuralNet,
    categorical_crossentropy,
    crossentropy_gradient,
    numerical_gradient,
    one_hot,
    relative_error,
    softmax_crossentropy_gradient,
)

TOL = 1e-7

ACTIVATIONS = [
    nnlib.IdentityActivation(),
    nnlib.LinearActivation(a=2.5),
    nnlib.SigmoidActivation(),
    nnlib.TanhActivation(),
    nnlib.BinaryStepActivation(thresh=0.3),
    nnlib.ReLUActivation(),
    nnlib.ReLUActivation(a=0.7),
    nnlib.LeakyReLUActivation(),
    nnlib.LeakyReLUActivation(a=1.5, b=0.2),
    nnlib.SoftMaxActivation(),
]


def _away_from_kinks(Z):
    # Finite differences straddling a kink (0 for ReLU, thresh for step) are
    # meaningless; keep every entry at least 0.1 away from them.
    Z = Z.copy()
    for kink in (0.0, 0.3):
        close = np.abs(Z - kink) < 0.1
        Z[close] += 0.25
    return Z


@pytest.mark.parametrize("act", ACTIVATIONS, ids=repr)
def test_activation_backward_matches_numerical_gradient(act):
    rng = np.random.default_rng(0)
    Z = _away_from_kinks(rng.standard_normal((4, 5)))
    upstream = rng.standard_normal((4, 5))

    def loss():
        return float(np.sum(act.forward(Z) * upstream))

    loss()
    analytic = act.backward(upstream)
    numeric = numerical_gradient(loss, Z)
    assert analytic.shape == Z.shape
    assert relative_error(analytic, numeric) < TOL


def test_linear_layer_gradients():
    rng = np.random.default_rng(1)
    layer = LinearLayer(3, 4, activation=nnlib.TanhActivation(), rng=rng)
    layer.b += rng.standard_normal(layer.b.shape)
    X = rng.standard_normal((5, 3))
    upstream = rng.standard_normal((5, 4))

    def loss():
        return float(np.sum(layer.forward(X) * upstream))

    loss()
    dA_prev = layer.backward(upstream)
    dW, db = layer.dW.copy(), layer.db.copy()
    assert dW.shape == layer.W.shape and db.shape == layer.b.shape and dA_prev.shape == X.shape
    assert relative_error(dW, numerical_gradient(loss, layer.W)) < TOL
    assert relative_error(db, numerical_gradient(loss, layer.b)) < TOL
    assert relative_error(dA_prev, numerical_gradient(loss, X)) < TOL


def test_linear_backward_function_equals_method():
    rng = np.random.default_rng(2)
    a = LinearLayer(3, 2, activation=nnlib.ReLUActivation(), rng=5)
    b = LinearLayer(3, 2, activation=nnlib.ReLUActivation(), rng=5)
    X, dA = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    a.forward(X), b.forward(X)
    np.testing.assert_array_equal(a.backward(dA), nnlib.linear_backward(b, dA))
    np.testing.assert_array_equal(a.dW, b.dW)
    np.testing.assert_array_equal(a.db, b.db)


def test_crossentropy_gradient_is_gradient_of_mean_loss():
    rng = np.random.default_rng(3)
    Y = one_hot(rng.integers(0, 4, 6), 4)
    P = rng.uniform(0.05, 1.0, (6, 4))
    P /= P.sum(axis=1, keepdims=True)

    def loss():
        return float(categorical_crossentropy(Y, P).mean())

    assert relative_error(crossentropy_gradient(Y, P), numerical_gradient(loss, P)) < TOL


def test_softmax_crossentropy_gradient_is_gradient_wrt_logits():
    rng = np.random.default_rng(4)
    Y = one_hot(rng.integers(0, 3, 5), 3)
    Z = rng.standard_normal((5, 3)) * 0.5  # moderate logits: no gradient entry near round-off
    softmax = nnlib.SoftMaxActivation()

    def loss():
        return float(categorical_crossentropy(Y, softmax.forward(Z)).mean())

    P = softmax.forward(Z)
    assert relative_error(softmax_crossentropy_gradient(Y, P), numerical_gradient(loss, Z)) < TOL
    # The fused gradient equals the two-step chain rule (forward again: the
    # numerical gradient left softmax.A at a perturbed Z).
    P = softmax.forward(Z)
    two_step = softmax.backward(crossentropy_gradient(Y, P))
    np.testing.assert_allclose(softmax_crossentropy_gradient(Y, P), two_step, atol=1e-12)


def test_whole_three_layer_network_gradients():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((8, 4))
    y = rng.integers(0, 3, 8)
    Y = one_hot(y, 3)
    layers = [
        LinearLayer(4, 6, activation=nnlib.TanhActivation(), rng=1),
        LinearLayer(6, 5, activation=nnlib.SigmoidActivation(), rng=2),
        LinearLayer(5, 3, activation=nnlib.SoftMaxActivation(), rng=3),
    ]
    for layer in layers:
        # Unit-scale weights keep every gradient entry well above round-off.
        layer.init_params(rng=rng, scale=1.0)

    def loss():
        A = X
        for layer in layers:
            A = layer.forward(A)
        return float(categorical_crossentropy(Y, A).mean())

    loss()
    dA = crossentropy_gradient(Y, layers[-1].activation.A)
    for layer in reversed(layers):
        dA = layer.backward(dA)
    grads = [(layer.dW.copy(), layer.db.copy()) for layer in layers]
    for layer, (dW, db) in zip(layers, grads):
        assert relative_error(dW, numerical_gradient(loss, layer.W)) < TOL
        assert relative_error(db, numerical_gradient(loss, layer.b)) < TOL


def test_neuralnet_training_step_uses_exact_gradient():
    """NeuralNet's fused step changes the weights by exactly -lr * numerical gradient."""
    rng = np.random.default_rng(6)
    X = rng.standard_normal((10, 3))
    y = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 2])
    net = NeuralNet(hidden_layer_sizes=(5,), activation="tanh", epochs=1, lr=0.5,
                    standardize=False, random_state=0).fit(X, y)
    before = NeuralNet(hidden_layer_sizes=(5,), activation="tanh", epochs=1, lr=0.5,
                       standardize=False, random_state=0)
    # Rebuild the initial weights exactly as fit does.
    layers = before._build_layers(3, 3, np.float64, np.random.default_rng(0))
    Y = one_hot(y, 3)

    def loss():
        A = X
        for layer in layers:
            A = layer.predict(A)
        return float(categorical_crossentropy(Y, A).mean())

    for trained, initial in zip(net.layers_, layers):
        expected_W = initial.W - 0.5 * numerical_gradient(loss, initial.W)
        expected_b = initial.b - 0.5 * numerical_gradient(loss, initial.b)
        np.testing.assert_allclose(trained.W, expected_W, atol=1e-8)
        np.testing.assert_allclose(trained.b, expected_b, atol=1e-8)


def test_numerical_gradient_restores_x_and_uses_central_differences():
    x = np.array([[0.5, -1.0, 2.0]])
    original = x.copy()
    grad = numerical_gradient(lambda: float(np.sum(x ** 3)), x, h=1e-3)
    np.testing.assert_array_equal(x, original)
    # Central differences of x^3 are exact up to h^2: 3x^2 + h^2.
    np.testing.assert_allclose(grad, 3 * original ** 2 + 1e-6, rtol=1e-9)


def test_relative_error_floor():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([1e-9]), np.array([0.0])) == pytest.approx(0.1)
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 3.0])) == pytest.approx(0.2)


@pytest.mark.parametrize("cls, kept", [
    (nnlib.SigmoidActivation, "A"), (nnlib.TanhActivation, "A"), (nnlib.SoftMaxActivation, "A"),
    (nnlib.ReLUActivation, "Z"), (nnlib.LeakyReLUActivation, "Z"),
], ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_activations_keep_what_notebook_03_teaches(cls, kept):
    """Sigmoid, tanh and softmax keep their output as self.A, ReLU and leaky ReLU their input as self.Z."""
    Z = np.random.default_rng(7).standard_normal((3, 4))
    act = cls()
    A = act.forward(Z)
    np.testing.assert_array_equal(getattr(act, kept), A if kept == "A" else Z)


def test_linear_backward_takes_any_object_with_the_layer_attributes():
    """Notebook 05 hands linear_backward a SimpleNamespace, not a LinearLayer."""
    from types import SimpleNamespace

    rng = np.random.default_rng(8)
    real = LinearLayer(3, 2, activation=nnlib.SigmoidActivation(), rng=1)
    X, dA = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    real.forward(X)
    act = nnlib.SigmoidActivation()
    act.forward(real.Z)
    plain = SimpleNamespace(W=real.W, b=real.b, A_prev=X, Z=real.Z, activation=act, dW=None, db=None)
    np.testing.assert_array_equal(nnlib.linear_backward(plain, dA), real.backward(dA))
    np.testing.assert_array_equal(plain.dW, real.dW)
    np.testing.assert_array_equal(plain.db, real.db)
