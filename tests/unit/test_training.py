"""NeuralNet learns: the lesson's iris example, digits, labels, optimisers."""
import copy
import pickle

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_iris
from sklearn.model_selection import train_test_split

from nnlib import SGD, Adam, LinearLayer, Momentum, NeuralNet, ReLUActivation, SoftMaxActivation, _fast


@pytest.fixture(scope="module")
def iris_split():
    X, y = load_iris(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=42)


def seed_example(X_train, y_train, **kwargs):
    """The lesson's own example, with its calls unchanged."""
    return NeuralNet([LinearLayer(4, 10, activation=ReLUActivation()),
                      LinearLayer(10, 5, activation=ReLUActivation()),
                      LinearLayer(5, 3, activation=SoftMaxActivation())], **kwargs).fit(X_train, y_train)


def test_seed_example_reaches_95_percent(iris_split):
    X_train, X_test, y_train, y_test = iris_split
    net = seed_example(X_train, y_train)
    assert net.score(X_test, y_test) >= 0.95
    assert net.loss_curve_[-1] < net.loss_curve_[0] / 5


def test_seed_example_is_robust_across_seeds(iris_split):
    X_train, X_test, y_train, y_test = iris_split
    scores = [seed_example(X_train, y_train, random_state=s).score(X_test, y_test) for s in range(10)]
    assert min(scores) >= 0.95, scores


def test_digits_reaches_97_percent():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    net = NeuralNet(hidden_layer_sizes=(128,), batch_size=32, epochs=30, lr=0.05, random_state=0)
    assert net.fit(X_train, y_train).score(X_test, y_test) >= 0.97


def test_fit_returns_self_and_sets_fitted_attributes(iris_split):
    X_train, _, y_train, _ = iris_split
    net = NeuralNet(epochs=50, random_state=0)
    assert net.fit(X_train, y_train) is net
    assert net.n_features_in_ == 4
    assert list(net.classes_) == [0, 1, 2]
    assert len(net.loss_curve_) == net.n_iter_ == 50
    assert [layer.W.shape for layer in net.layers_] == [(4, 64), (64, 3)]
    proba = net.predict_proba(X_train)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_layers_argument_is_never_mutated(iris_split):
    X_train, _, y_train, _ = iris_split
    layers = [LinearLayer(4, 6, ReLUActivation(), rng=0), LinearLayer(6, 3, SoftMaxActivation(), rng=1)]
    snapshot = copy.deepcopy(layers)
    net = NeuralNet(layers, epochs=30, random_state=0).fit(X_train, y_train)
    for before, after in zip(snapshot, layers):
        np.testing.assert_array_equal(before.W, after.W)
        np.testing.assert_array_equal(before.b, after.b)
        assert after.A_prev is None
    assert all(trained is not given for trained, given in zip(net.layers_, layers))
    # Two nets built from the same list share nothing.
    other = NeuralNet(layers, epochs=30, random_state=1).fit(X_train, y_train)
    assert not np.shares_memory(net.layers_[0].W, other.layers_[0].W)


def test_random_state_reproducible_and_different(iris_split):
    X_train, _, y_train, _ = iris_split
    fit = lambda s: NeuralNet(epochs=5, batch_size=16, random_state=s).fit(X_train, y_train)  # noqa: E731
    np.testing.assert_array_equal(fit(3).layers_[0].W, fit(3).layers_[0].W)
    assert not np.array_equal(fit(3).layers_[0].W, fit(4).layers_[0].W)


def test_minibatches_are_shuffled_each_epoch(monkeypatch, iris_split):
    X_train, _, y_train, _ = iris_split
    seen = []
    original = _fast.Trainer._step

    def spy(self, X, Y):
        seen.append(X[0].copy())
        return original(self, X, Y)

    monkeypatch.setattr(_fast.Trainer, "_step", spy)
    NeuralNet(epochs=3, batch_size=20, random_state=0, standardize=False).fit(X_train, y_train)
    per_epoch = len(seen) // 3
    firsts = [seen[i * per_epoch] for i in range(3)]
    # Without shuffling every epoch would start with X_train[0]; with one fixed
    # shuffle every epoch would start with the same row.
    assert not all(np.array_equal(f, X_train[0]) for f in firsts)
    assert not (np.array_equal(firsts[0], firsts[1]) and np.array_equal(firsts[1], firsts[2]))


@pytest.mark.parametrize("labels", [np.array(["setosa", "versicolor", "virginica"]), np.array([3, 7, 42])])
def test_string_and_non_contiguous_labels(iris_split, labels):
    X_train, X_test, y_train, y_test = iris_split
    net = NeuralNet(epochs=300, random_state=0).fit(X_train, labels[y_train])
    assert list(net.classes_) == sorted(labels)
    pred = net.predict(X_test)
    assert pred.dtype == labels.dtype
    assert np.mean(pred == labels[y_test]) >= 0.9


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", SGD(0.1), Momentum(0.05, 0.8), Adam(0.01)],
                         ids=repr)
def test_every_optimizer_trains(iris_split, optimizer):
    X_train, X_test, y_train, y_test = iris_split
    lr = 0.01 if optimizer == "adam" else 0.05
    net = NeuralNet(optimizer=optimizer, lr=lr, epochs=200, random_state=0).fit(X_train, y_train)
    assert net.loss_curve_[-1] < 0.3 * net.loss_curve_[0]
    assert net.score(X_test, y_test) >= 0.9
    if not isinstance(optimizer, str):
        assert getattr(optimizer, "state_", None) is None, "the optimizer passed in must not be used itself"


def test_pickle_round_trip_keeps_predictions_and_no_cached_batches(iris_split):
    X_train, X_test, y_train, _ = iris_split
    net = NeuralNet(epochs=20, random_state=0).fit(X_train, y_train)
    assert all(layer.A_prev is None and layer.Z is None for layer in net.layers_)
    clone = pickle.loads(pickle.dumps(net))
    np.testing.assert_array_equal(clone.predict_proba(X_test), net.predict_proba(X_test))


def test_verbose_progress_goes_to_stdout_not_stderr(iris_split, capsys):
    X_train, _, y_train, _ = iris_split
    NeuralNet(epochs=20, verbose=True, random_state=0).fit(X_train, y_train)
    out, err = capsys.readouterr()
    assert err == ""
    assert "20/20" in out and "loss=" in out


def test_silent_by_default(iris_split, capsys):
    X_train, _, y_train, _ = iris_split
    NeuralNet(epochs=20, random_state=0).fit(X_train, y_train)
    assert capsys.readouterr() == ("", "")
