"""Optimiser updates against their textbook formulas, and NeuralNet's fast
training step (nnlib._fast: lr folded into the gradient, reused gradient
arrays) against a plain loop over the public forward/backward/step API."""
import copy

import numpy as np
import pytest

from nnlib import SGD, Adam, LinearLayer, Momentum, NeuralNet, Optimizer, ReLUActivation, SoftMaxActivation
from nnlib.losses import one_hot, softmax_crossentropy_gradient
from nnlib.network import _rng_from
from nnlib import _fast
from nnlib import optimizers as nnlib_optimizers


def textbook(name, params, grads_per_step, lr, **kw):
    """The update rules written out with fresh arrays, one step at a time."""
    params = [p.copy() for p in params]
    state = [dict(v=np.zeros_like(p), m=np.zeros_like(p), s=np.zeros_like(p)) for p in params]
    for t, grads in enumerate(grads_per_step, start=1):
        for p, g, st in zip(params, grads, state):
            if name == "sgd":
                p -= lr * g
            elif name == "momentum":
                st["v"] = kw["momentum"] * st["v"] - lr * g
                p += st["v"]
            else:
                b1, b2, eps = 0.9, 0.999, 1e-8
                st["m"] = b1 * st["m"] + (1 - b1) * g
                st["s"] = b2 * st["s"] + (1 - b2) * g ** 2
                m_hat, s_hat = st["m"] / (1 - b1 ** t), st["s"] / (1 - b2 ** t)
                p -= lr * m_hat / (np.sqrt(s_hat) + eps)
    return params


@pytest.mark.parametrize("name, make", [("sgd", lambda: SGD(0.1)),
                                        ("momentum", lambda: Momentum(0.1, momentum=0.8)),
                                        ("adam", lambda: Adam(0.01))])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_optimizer_matches_formula_over_several_steps(name, make, dtype):
    rng = np.random.default_rng(0)
    layer = LinearLayer(4, 3, rng=1)
    layer.W = layer.W.astype(dtype)
    layer.b = layer.b.astype(dtype)
    start = [layer.W.copy(), layer.b.copy()]
    W_id, b_id = id(layer.W), id(layer.b)
    steps = [[rng.standard_normal((4, 3)).astype(dtype), rng.standard_normal((1, 3)).astype(dtype)]
             for _ in range(4)]
    opt = make()
    for dW, db in steps:
        layer.dW, layer.db = dW.copy(), db.copy()
        opt.step([layer])
        # the gradients are read, never written
        np.testing.assert_array_equal(layer.dW, dW)
    expected = textbook(name, start, steps, opt.lr, momentum=getattr(opt, "momentum", None))
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(layer.W, expected[0], rtol=rtol, atol=rtol)
    np.testing.assert_allclose(layer.b, expected[1], rtol=rtol, atol=rtol)
    assert (id(layer.W), id(layer.b)) == (W_id, b_id), "updates must be in place"
    assert layer.W.dtype == dtype


@pytest.mark.parametrize("make", [lambda: SGD(0.3), lambda: Momentum(0.3, momentum=0.9)])
def test_lr_applied_equals_plain_gradient(make):
    rng = np.random.default_rng(1)
    a, b = LinearLayer(3, 2, rng=0), LinearLayer(3, 2, rng=0)
    opt_a, opt_b = make(), make()
    for _ in range(3):
        dW, db = rng.standard_normal((3, 2)), rng.standard_normal((1, 2))
        a.dW, a.db = dW, db
        b.dW, b.db = opt_b.lr * dW, opt_b.lr * db
        opt_a.step([a])
        opt_b.step([b], lr_applied=True)
    np.testing.assert_allclose(b.W, a.W, rtol=1e-13)
    np.testing.assert_allclose(b.b, a.b, rtol=1e-13, atol=1e-15)


def test_adam_refuses_prescaled_gradients():
    layer = LinearLayer(2, 2, rng=0)
    layer.dW, layer.db = np.ones((2, 2)), np.ones((1, 2))
    with pytest.raises(ValueError, match="Adam needs the plain gradient"):
        Adam().step([layer], lr_applied=True)


def test_layer_backward_returns_fresh_gradient_arrays_by_default():
    """Outside NeuralNet.fit, a second backward never overwrites the first gradients."""
    rng = np.random.default_rng(2)
    layer = LinearLayer(3, 4, activation=ReLUActivation(), rng=0)
    layer.forward(rng.standard_normal((5, 3)))
    layer.backward(rng.standard_normal((5, 4)))
    first = layer.dW
    kept = first.copy()
    layer.forward(rng.standard_normal((5, 3)))
    layer.backward(rng.standard_normal((5, 4)))
    assert layer.dW is not first
    np.testing.assert_array_equal(first, kept)


def reference_fit(net, X, y):
    """NeuralNet.fit spelled out with the public API only: forward, the
    fused output gradient, backward, optimizer.step on the plain gradient."""
    rng = _rng_from(net.random_state)
    classes, y_idx = np.unique(y, return_inverse=True)
    layers = net._build_layers(X.shape[1], len(classes), X.dtype, rng)
    opt = net._check_params()
    Y = one_hot(y_idx, len(classes)).astype(X.dtype)
    m = len(X)
    for _ in range(net.epochs):
        order = rng.permutation(m)
        for start in range(0, m, net.batch_size):
            idx = order[start:start + net.batch_size]
            A = X[idx]
            for layer in layers:
                A = layer.forward(A)
            # The fused gradient skips the softmax: the last layer's linear part only.
            dZ, last = softmax_crossentropy_gradient(Y[idx], A), layers[-1]
            last.dW, last.db = last.A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True)
            dA = dZ @ last.W.T
            for layer in reversed(layers[:-1]):
                dA = layer.backward(dA)
            opt.step(layers)
    return layers


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fit_equals_the_plain_training_loop(optimizer, dtype):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((23, 5)).astype(dtype)  # 23 = 4 full batches of 5 and one of 3
    y = rng.integers(0, 3, 23)
    net = NeuralNet(hidden_layer_sizes=(7, 6), lr=0.05, epochs=3, batch_size=5, optimizer=optimizer,
                    standardize=False, random_state=4)
    expected = reference_fit(copy.deepcopy(net), X, y)
    net.fit(X, y)
    rtol = 1e-10 if dtype == np.float64 else 2e-4
    for trained, ref in zip(net.layers_, expected):
        assert trained.W.dtype == dtype
        np.testing.assert_allclose(trained.W, ref.W, rtol=rtol, atol=rtol)
        np.testing.assert_allclose(trained.b, ref.b, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_fitted_model_keeps_no_gradients_or_scratch(optimizer):
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((40, 4)), rng.integers(0, 3, 40)
    net = NeuralNet(epochs=5, batch_size=8, optimizer=optimizer, lr=0.01, random_state=0).fit(X, y)
    for layer in net.layers_:
        assert layer.dW is None and layer.db is None
        assert layer.A_prev is None and layer.Z is None
        assert getattr(layer.activation, "Z", None) is None and getattr(layer.activation, "A", None) is None
    assert net.optimizer_._buffers == {}  # Adam's step did make scratch arrays


def training_steps(monkeypatch):
    """Record (reuse flag, layers, their dW arrays) after every training step of fit."""
    steps = []
    original = _fast.Trainer._step

    def spy(self, X, Y):
        loss = original(self, X, Y)
        steps.append((self.reuse, list(self.layers), [layer.dW for layer in self.layers]))
        return loss

    monkeypatch.setattr(_fast.Trainer, "_step", spy)
    return steps


def test_fit_reuses_gradient_arrays_only_on_its_own_copies(monkeypatch):
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((40, 4)), rng.integers(0, 3, 40)
    layers = [LinearLayer(4, 5, ReLUActivation()), LinearLayer(5, 3, SoftMaxActivation())]
    steps = training_steps(monkeypatch)
    net = NeuralNet(layers, epochs=2, batch_size=8, random_state=0).fit(X, y)
    assert len(steps) == 10 and all(reuse for reuse, _, _ in steps)
    assert not any(layer is given for _, trained, _ in steps for layer in trained for given in layers)
    first = steps[0][2]
    for _, _, grads in steps[1:]:
        assert all(dW is first_dW for dW, first_dW in zip(grads, first)), \
            "every mini-batch writes into the same gradient arrays"
    assert all(layer.dW is None for layer in layers + net.layers_)


class SGDWithDecay(SGD):
    """A subclass with its own (non-linear in g) update and the documented signature."""

    def __init__(self, lr=0.1, decay=0.5):
        super().__init__(lr)
        self.decay = decay

    def _update(self, param, grad, slot):
        param -= self.lr * (grad + self.decay * param)


class Nesterov(Momentum):
    def _update(self, param, grad, slot):
        v = self.state_.setdefault(slot, np.zeros_like(param))
        v *= self.momentum
        v -= self.lr * grad
        param += self.momentum * v - self.lr * grad


class AverageWithLastGradient(SGD):
    """Keeps a reference to the gradient it was given: needs fresh gradient arrays."""

    def _update(self, param, grad, slot):
        last = self.state_.get(slot, grad)
        param -= self.lr * 0.5 * (grad + last)
        self.state_[slot] = grad


class OwnStep(Optimizer):
    def step(self, layers):
        for layer in layers:
            layer.W -= self.lr * layer.dW
            layer.b -= self.lr * layer.db


@pytest.mark.parametrize("make", [SGDWithDecay, Nesterov, AverageWithLastGradient, lambda: OwnStep(0.1)],
                         ids=["sgd-subclass-decay", "momentum-subclass", "keeps-gradient", "own-step"])
def test_custom_optimizers_get_the_plain_training_path(make, monkeypatch):
    """Subclasses that replace the update get plain gradients in fresh arrays, so fit
    equals the plain loop for them too."""
    rng = np.random.default_rng(6)
    X = rng.standard_normal((23, 5))
    y = rng.integers(0, 3, 23)
    net = NeuralNet(hidden_layer_sizes=(7,), epochs=3, batch_size=5, optimizer=make(),
                    standardize=False, random_state=4)
    expected = reference_fit(copy.deepcopy(net), X, y)
    steps = training_steps(monkeypatch)
    net.fit(X, y)
    assert steps and not any(reuse for reuse, _, _ in steps)
    grads = [dW for _, _, step_grads in steps for dW in step_grads]
    assert len({id(dW) for dW in grads}) == len(grads), "every step makes new gradient arrays"
    for trained, ref in zip(net.layers_, expected):
        np.testing.assert_allclose(trained.W, ref.W, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(trained.b, ref.b, rtol=1e-10, atol=1e-12)


def test_a_custom_optimizer_with_the_documented_update_signature_trains():
    class HalfStep(nnlib_optimizers.Optimizer):
        """p -= lr/2 * g, written against the base class's documented hook."""

        def _update(self, param, grad, slot):
            param -= 0.5 * self.lr * grad

    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((30, 3)), np.arange(30) % 2
    net = NeuralNet(optimizer=HalfStep(0.2), epochs=3, random_state=0).fit(X, y)
    reference = NeuralNet(optimizer=SGD(0.1), epochs=3, random_state=0).fit(X, y)
    for a, b in zip(net.layers_, reference.layers_):
        np.testing.assert_allclose(a.W, b.W, rtol=1e-12)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_full_batch_trainer_equals_the_plain_loop(name):
    """What the live-training widget runs: full-batch epochs of _fast.Trainer, the loss
    measured before each update, and _fast's predict_proba and mean_crossentropy."""
    from nnlib import OPTIMIZERS, categorical_crossentropy

    rng = np.random.default_rng(9)
    X, Y = rng.standard_normal((30, 2)), one_hot(np.arange(30) % 3, 3)
    def make():
        return [LinearLayer(2, 6, ReLUActivation(), rng=1), LinearLayer(6, 3, SoftMaxActivation(), rng=2)]

    layers, plain = make(), make()
    lr = 0.01 if name == "adam" else 0.3
    trainer = _fast.Trainer(layers, OPTIMIZERS[name](lr=lr), X, Y)
    opt = OPTIMIZERS[name](lr=lr)
    with trainer.running():
        for _ in range(5):
            A = X
            for layer in plain:
                A = layer.forward(A)
            expected = float(categorical_crossentropy(Y, A).mean())
            assert _fast.mean_crossentropy(_fast.predict_proba(layers, X), Y) == pytest.approx(expected, rel=1e-12)
            dZ, last = softmax_crossentropy_gradient(Y, A), plain[-1]
            last.dW, last.db = last.A_prev.T @ dZ, dZ.sum(axis=0, keepdims=True)
            plain[0].backward(dZ @ last.W.T)
            opt.step(plain)
            assert trainer.epoch() == pytest.approx(expected, rel=1e-12)
    for mine, ref in zip(layers, plain):
        np.testing.assert_allclose(mine.W, ref.W, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(mine.b, ref.b, rtol=1e-10, atol=1e-12)
    trainer.finish()
    assert all(layer.A_prev is None and layer.dW is None and layer.activation.A is None for layer in layers[1:])


def test_minibatch_trainer_needs_an_rng():
    X, Y = np.ones((10, 2)), one_hot(np.arange(10) % 2, 2)
    with pytest.raises(ValueError, match="needs an rng"):
        _fast.Trainer([LinearLayer(2, 2, SoftMaxActivation())], SGD(), X, Y, batch_size=4)
