"""The fast paths of nnlib._fast give the results of the plain maths: standardising
in the batch gather, blocked statistics, blocked full batches and blocked
prediction; float32 stays float32; fit makes no full-size copy of X."""
import tracemalloc

import numpy as np
import pytest
from sklearn.datasets import load_iris

from nnlib import NeuralNet, _fast, _scaling

EPS = 1e-7


def reference_fit(X, y, hidden, lr, epochs, batch_size, random_state):
    """What NeuralNet.fit with plain SGD and ReLU hidden layers computed before
    the speed work, written out plainly: standardise all of X, then mini-batch
    gradient descent. Returns (Ws, bs, losses, predict_proba)."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    Xs = (X - mean) / scale
    classes, y_idx = np.unique(y, return_inverse=True)
    Y = np.eye(len(classes))[y_idx]
    rng = np.random.default_rng(random_state)
    dims = [X.shape[1], *hidden, len(classes)]
    Ws, bs = [], []
    for i, (fan_in, fan_out) in enumerate(zip(dims, dims[1:])):
        relu = i < len(hidden)
        s = np.sqrt(2.0 / fan_in) if relu else np.sqrt(2.0 / (fan_in + fan_out))
        Ws.append(rng.standard_normal((fan_in, fan_out)) * s)
        bs.append(np.zeros((1, fan_out)))

    def forward(A):
        acts = [A]
        for i, (W, b) in enumerate(zip(Ws, bs)):
            Z = A @ W + b
            if i < len(Ws) - 1:
                A = np.maximum(Z, 0)
            else:
                E = np.exp(Z - Z.max(axis=1, keepdims=True))
                A = E / E.sum(axis=1, keepdims=True)
            acts.append(A)
        return acts

    m = X.shape[0]
    batch = m if batch_size is None else batch_size
    losses = []
    for _ in range(epochs):
        order = np.arange(m) if batch == m else rng.permutation(m)
        total = 0.0
        for start in range(0, m, batch):
            idx = order[start:start + batch]
            acts = forward(Xs[idx])
            P, Yb = acts[-1], Y[idx]
            total += -np.sum(Yb * np.log(np.clip(P, EPS, 1 - EPS)))
            dZ = (P - Yb) / len(idx)
            for i in range(len(Ws) - 1, -1, -1):
                dW, db = acts[i].T @ dZ, dZ.sum(axis=0, keepdims=True)
                if i > 0:
                    dZ = (dZ @ Ws[i].T) * (acts[i] > 0)
                Ws[i] = Ws[i] - lr * dW
                bs[i] = bs[i] - lr * db
        losses.append(total / m)
    return Ws, bs, losses, forward((X - mean) / scale)[-1]


def problems():
    X, y = load_iris(return_X_y=True)
    rng = np.random.default_rng(3)
    # Columns far from zero mean, of very different scales, and one constant.
    Xr = rng.standard_normal((300, 6)) * [1, 10, 1e-3, 5, 1, 1] + [0, 100, -3, 0, 7, 0]
    Xr[:, 5] = 0.0
    yr = (Xr[:, 0] + Xr[:, 2] * 1e3 > 0).astype(int) + (Xr[:, 3] > 0)
    return {"iris mini-batch": (X, y, dict(batch_size=16, epochs=30)),
            "iris full batch": (X, y, dict(batch_size=None, epochs=100)),
            "scaled columns": (Xr, yr, dict(batch_size=32, epochs=20))}


@pytest.mark.parametrize("name", list(problems()))
def test_fit_matches_the_plain_reference(name):
    X, y, kw = problems()[name]
    hidden, lr = (16, 8), 0.05
    net = NeuralNet(hidden_layer_sizes=hidden, lr=lr, random_state=7, **kw).fit(X, y)
    Ws, bs, losses, P = reference_fit(X, y, hidden, lr, kw["epochs"], kw["batch_size"], 7)
    for layer, W, b in zip(net.layers_, Ws, bs):
        np.testing.assert_allclose(layer.W, W, rtol=0, atol=1e-12)
        np.testing.assert_allclose(layer.b, b, rtol=0, atol=1e-12)
    np.testing.assert_allclose(net.loss_curve_, losses, rtol=0, atol=1e-12)
    np.testing.assert_allclose(net.predict_proba(X), P, rtol=0, atol=1e-12)


def test_blocked_statistics_match_numpy():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5000, 300)) * rng.uniform(0.1, 10, 300) + rng.uniform(-50, 50, 300)
    assert _fast.block_rows(X.shape[1], 8) < X.shape[0]  # several blocks
    mean, scale = _fast.standardisation(X)
    np.testing.assert_allclose(mean, X.mean(axis=0), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(scale, X.std(axis=0), rtol=1e-12)
    mean32, scale32 = _fast.standardisation(X.astype(np.float32))
    assert mean32.dtype == scale32.dtype == np.float32
    np.testing.assert_allclose(mean32, X.mean(axis=0), rtol=1e-6, atol=1e-5)
    np.testing.assert_allclose(scale32, X.std(axis=0), rtol=1e-6)
    small = X[:50]  # one block: numpy's own arithmetic
    mean, scale = _fast.standardisation(small)
    np.testing.assert_array_equal(mean, small.mean(axis=0))
    np.testing.assert_array_equal(scale, small.std(axis=0))


@pytest.mark.parametrize("value", [0.0, 0.1, 1e6 / 3])
def test_constant_column_gets_scale_one_and_stays_harmless(value):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((20000, 3))
    X[:, 1] = value  # 0.1 and 1e6/3: their mean is not exact, their spread is rounding
    mean, scale = _fast.standardisation(X)
    assert scale[1] == 1.0 and abs(mean[1] - value) <= 1e-9 * max(1.0, abs(value))
    assert np.abs(_fast.standardise(X, mean, scale)[:, 1]).max() <= 1e-9 * max(1.0, abs(value))
    Xt = X.copy()
    Xt[:, 2] = 1e-9  # a genuinely tiny spread is a spread
    Xt[::2, 2] = 2e-9
    assert _fast.standardisation(Xt)[1][2] == pytest.approx(5e-10)


def test_blocked_full_batch_and_prediction_match_one_block(monkeypatch):
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((1000, 20)) * 3 + 1, rng.integers(0, 3, 1000)
    kw = dict(hidden_layer_sizes=(12,), epochs=20, optimizer="momentum", lr=0.05, random_state=0)
    one = NeuralNet(**kw).fit(X, y)
    P_one = one.predict_proba(X)
    monkeypatch.setattr(_scaling, "BLOCK_BYTES", 64 * 20 * 8)  # blocks of 64 rows
    monkeypatch.setattr(_fast, "_PREDICT_ROWS", 100)
    many = NeuralNet(**kw).fit(X, y)
    np.testing.assert_allclose(many.loss_curve_, one.loss_curve_, rtol=1e-12)
    for a, b in zip(many.layers_, one.layers_):
        np.testing.assert_allclose(a.W, b.W, rtol=0, atol=1e-12)
    np.testing.assert_allclose(many.predict_proba(X), P_one, rtol=0, atol=1e-14)
    np.testing.assert_allclose(one.predict_proba(X), P_one, rtol=0, atol=1e-14)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_float32_trains_in_float32(monkeypatch, optimizer):
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((300, 8)).astype(np.float32), rng.integers(0, 3, 300)
    dtypes = set()
    original = _fast.Trainer._step

    def spy(self, Xb, Yb):
        loss = original(self, Xb, Yb)
        dtypes.update(a.dtype for layer in self.layers for a in (Xb, Yb, layer.W, layer.b, layer.dW, layer.db))
        return loss

    monkeypatch.setattr(_fast.Trainer, "_step", spy)
    net = NeuralNet(optimizer=optimizer, lr=np.float64(0.01), batch_size=32, epochs=3, random_state=0).fit(X, y)
    assert dtypes == {np.dtype(np.float32)}
    state = net.optimizer_.state_.values()
    assert all(a.dtype == np.float32 for s in state for a in (s if isinstance(s, tuple) else (s,)))
    assert net.mean_.dtype == net.scale_.dtype == np.float32
    assert net.predict_proba(X).dtype == np.float32


@pytest.mark.parametrize("batch_size", [128, None])
def test_fit_makes_no_full_size_copy_of_X(batch_size):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20000, 100)) * 4 + 2, rng.integers(0, 3, 20000)
    net = NeuralNet(hidden_layer_sizes=(32,), epochs=1, batch_size=batch_size, random_state=0)
    tracemalloc.start()
    try:
        net.fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= 0.25 * X.nbytes, f"peak {peak / X.nbytes:.2f} x X.nbytes"
