"""nnlib against PyTorch's autograd, where PyTorch is installed (optional).

PyTorch is not a requirement of the course: `make test` does not install it and these
tests are skipped without it. With it (`pip install torch` into .venv), they check that
nnlib's hand-written derivatives and one training step agree with what autograd
computes for the same float64 inputs.
"""
import numpy as np
import pytest

import nnlib
from nnlib import LinearLayer, NeuralNet

torch = pytest.importorskip("torch", reason="optional: PyTorch is not installed")

ACTIVATIONS = {
    "SigmoidActivation": lambda z: torch.sigmoid(z),
    "TanhActivation": lambda z: torch.tanh(z),
    "ReLUActivation": lambda z: torch.relu(z),
    "LeakyReLUActivation": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
    "SoftMaxActivation": lambda z: torch.softmax(z, dim=1),
    "IdentityActivation": lambda z: z,
}


def t(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_forward_and_backward_match_autograd(name):
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((6, 5)) * 3
    dA = rng.standard_normal((6, 5))
    act = getattr(nnlib, name)()
    if name == "LeakyReLUActivation":
        assert act.function(np.array([[-1.0]]))[0, 0] == pytest.approx(-0.01), "test assumes slope 0.01"
    A = act.forward(Z)
    dZ = act.backward(dA)
    z = t(Z)
    a = ACTIVATIONS[name](z)
    a.backward(torch.tensor(dA))
    np.testing.assert_allclose(A, a.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dZ, z.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_linear_layer_matches_autograd():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((7, 4))
    layer = LinearLayer(4, 3, activation=nnlib.TanhActivation(), rng=2)
    dA = rng.standard_normal((7, 3))
    A = layer.forward(X)
    dX = layer.backward(dA)
    x, W, b = t(X), t(layer.W), t(layer.b)
    a = torch.tanh(x @ W + b)
    a.backward(torch.tensor(dA))
    np.testing.assert_allclose(A, a.detach().numpy(), rtol=1e-12)
    for ours, theirs in ((layer.dW, W.grad), (layer.db, b.grad), (dX, x.grad)):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-12)


def test_mean_crossentropy_and_its_gradient_match_torch():
    rng = np.random.default_rng(2)
    logits = rng.standard_normal((9, 4)) * 5
    y = rng.integers(0, 4, 9)
    P = nnlib.SoftMaxActivation().function(logits)
    Y = nnlib.one_hot(y, 4)
    z = t(logits)
    loss = torch.nn.functional.cross_entropy(z, torch.tensor(y))
    loss.backward()
    assert nnlib.categorical_crossentropy(Y, P).mean() == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(nnlib.softmax_crossentropy_gradient(Y, P), z.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_one_sgd_epoch_of_neuralnet_matches_torch():
    """Full batch, ReLU hidden layer, one step of plain SGD from the same weights."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((12, 3))
    y = np.arange(12) % 3
    net = NeuralNet(hidden_layer_sizes=(5,), lr=0.3, epochs=1, standardize=False, random_state=0)
    start = net._build_layers(3, 3, np.float64, np.random.default_rng(0))  # the weights fit starts from
    net.fit(X, y)
    params = [t(p) for layer in start for p in (layer.W, layer.b)]
    W1, b1, W2, b2 = params
    loss = torch.nn.functional.cross_entropy(torch.relu(torch.tensor(X) @ W1 + b1) @ W2 + b2, torch.tensor(y))
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= 0.3 * p.grad
    assert net.loss_curve_[0] == pytest.approx(loss.item(), rel=1e-12)
    for ours, theirs in zip([p for layer in net.layers_ for p in (layer.W, layer.b)], params):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
