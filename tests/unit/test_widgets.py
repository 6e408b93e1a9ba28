"""The notebook widgets (nncourse.widgets), driven in-process without a browser.

Every interaction goes through the ipywidgets models, exactly as a click in
JupyterLab would change them: setting a slider's value, clicking a button,
advancing the Play widget. What is checked is what the learner would see: the
figure's data, the PNG on screen and the text under it.
"""
import subprocess
import sys
import warnings

import numpy as np
import pytest

import nnlib
from nncourse import widgets as W

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _no_warnings():
    """A widget must not warn (a warning is stderr output in a notebook)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def curves(app):
    """(z, f, f') of nnlib's curve in the explorer's figure."""
    ax_f, ax_df = app.figure.axes
    line_f, line_df = ax_f.get_lines()[0], ax_df.get_lines()[0]
    return np.asarray(line_f.get_xdata()), np.asarray(line_f.get_ydata()), np.asarray(line_df.get_ydata())


def dashed_curves(app):
    """The learner's dashed curves (f, f'), or None when none is drawn."""
    found = [[ln for ln in ax.get_lines() if ln.get_label() == "yours"] for ax in app.figure.axes]
    if not all(found):
        return None
    return tuple(np.asarray(lines[0].get_ydata()) for lines in found)


# ---------------------------------------------------------------- learner classes

class NotDoneSigmoid:
    """What a released stub looks like: every body raises."""

    def __init__(self):
        raise NotImplementedError()

    def forward(self, Z):
        raise NotImplementedError()

    def backward(self, dA):
        raise NotImplementedError()


class GoodTanh:
    def forward(self, Z):
        self.A = np.tanh(Z)
        return self.A

    def backward(self, dA):
        return dA * (1 - self.A ** 2)


class SlopeIgnoringReLU:
    """Forgets the slope a: right for a = 1 only."""

    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        self.Z = Z
        return np.maximum(Z, 0)

    def backward(self, dA):
        return dA * (self.Z > 0)


class CrashingStep:
    def __init__(self, thresh=0.0):
        self.thresh = thresh

    def forward(self, Z):
        return Z[:, 5]  # IndexError on a single column

    def backward(self, dA):
        return dA


class FlatteningLinear:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        return (self.a * Z)[:10]

    def backward(self, dA):
        return self.a * dA


# ======================================================================= explorer

def test_importing_nnlib_does_not_import_ipywidgets():
    code = "import sys, nnlib, nncourse.widgets; print('ipywidgets' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr


def test_explorer_is_a_container_with_every_activation():
    import ipywidgets

    box = W.activation_explorer()
    assert isinstance(box, ipywidgets.VBox)
    app = box.app
    assert isinstance(app, W.ActivationExplorer)
    assert [v for _, v in app.controls["activation"].options] == list(nnlib.ACTIVATIONS)
    assert len(app.controls["activation"].options) == 8
    assert bytes(app.image.value).startswith(PNG_MAGIC)
    assert app.learner_status == "none"


@pytest.mark.parametrize("key, enabled", [
    ("identity", set()), ("linear", {"a"}), ("sigmoid", set()), ("tanh", set()),
    ("step", {"thresh"}), ("relu", {"a"}), ("leaky_relu", {"a", "b"}), ("softmax", set()),
])
def test_parameter_sliders_follow_the_activation(key, enabled):
    app = W.activation_explorer().app
    app.controls["activation"].value = key
    actually = {name for name in ("a", "b", "thresh") if not app.controls[name].disabled}
    assert actually == enabled
    z, f, df = curves(app)
    expected = nnlib.ACTIVATIONS[key](**{n: app.controls[n].value for n in enabled})
    if key == "softmax":  # plotted as the first component of softmax([z, 0]) = sigmoid(z)
        assert np.allclose(f, nnlib.SigmoidActivation().function(z.reshape(-1, 1)).ravel())
    else:
        assert np.allclose(f, expected.function(z.reshape(-1, 1)).ravel())
        assert np.allclose(df, expected.derivative(z.reshape(-1, 1)).ravel())
    for ax in app.figure.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_switching_activation_restores_its_default_parameters():
    app = W.activation_explorer(activation="leaky_relu").app
    app.controls["b"].value = 0.5
    app.controls["activation"].value = "relu"
    app.controls["activation"].value = "leaky_relu"
    assert app.controls["b"].value == pytest.approx(0.01)


def test_moving_a_slider_changes_the_figure_data_and_image():
    app = W.activation_explorer(activation="relu").app
    z, f_before, df_before = curves(app)
    png_before, redraws = bytes(app.image.value), app.redraws
    app.controls["a"].value = 2.5
    z, f_after, df_after = curves(app)
    assert app.redraws == redraws + 1
    assert np.allclose(f_after, np.where(z > 0, 2.5 * z, 0.0))
    assert np.allclose(df_after, np.where(z > 0, 2.5, 0.0))
    assert not np.allclose(f_after, f_before)
    assert bytes(app.image.value) != png_before
    assert "a=2.5" in app.figure.get_suptitle()


def test_threshold_and_leak_sliders():
    app = W.activation_explorer(activation="step").app
    app.controls["thresh"].value = 1.5
    z, f, _ = curves(app)
    assert np.array_equal(f, (z > 1.5).astype(float))
    app.controls["activation"].value = "leaky_relu"
    app.controls["b"].value = 0.2
    z, f, df = curves(app)
    assert np.allclose(f, np.where(z > 0, z, 0.2 * z))
    assert set(np.round(df, 12)) == {0.2, 1.0}


def test_input_range_slider_sets_the_plotted_range():
    app = W.activation_explorer().app
    app.controls["z_range"].value = (-2.0, 8.0)
    z, _, _ = curves(app)
    assert z[0] == pytest.approx(-2.0) and z[-1] == pytest.approx(8.0)
    app.controls["z_range"].value = (3.0, 3.0)  # both handles together still draws something
    z, _, _ = curves(app)
    assert z[0] < 3.0 < z[-1]


def test_learner_class_not_finished_is_reported_not_raised():
    app = W.activation_explorer({"SigmoidActivation": NotDoneSigmoid}).app
    assert app.learner_status == "not_implemented"
    assert "NotImplementedError" in app.note.value
    assert dashed_curves(app) is None
    assert bytes(app.image.value).startswith(PNG_MAGIC)  # nnlib's curve is still there


def test_learner_class_drawn_over_nnlib_from_globals():
    namespace = {"TanhActivation": GoodTanh, "SigmoidActivation": nnlib.SigmoidActivation, "np": np}
    app = W.activation_explorer(namespace, activation="tanh").app
    assert app.learner_status == "ok"
    mine = dashed_curves(app)
    _, f, df = curves(app)
    assert np.allclose(mine[0], f) and np.allclose(mine[1], df)
    assert "matches" in app.note.value
    # nnlib's own class under the learner's name is not "theirs".
    app.controls["activation"].value = "sigmoid"
    assert app.learner_status == "none"
    assert "No SigmoidActivation of yours" in app.note.value


def test_learner_lookup_by_key_and_updates_when_redefined():
    namespace = {"relu": SlopeIgnoringReLU}
    app = W.activation_explorer(namespace, activation="relu").app
    assert app.learner_status == "ok" and "matches" in app.note.value
    app.controls["a"].value = 2.0
    assert "differs" in app.note.value
    # The learner fixes the class and re-runs the cell: the next redraw uses the new one.
    namespace["relu"] = nnlib.ReLUActivation(a=2.0)  # an instance (not nnlib's class itself) counts too
    app.controls["z_range"].value = (-4.0, 4.0)
    assert app.learner_status == "ok" and "matches" in app.note.value


@pytest.mark.parametrize("key, cls, words", [
    ("step", CrashingStep, "IndexError"),
    ("linear", FlatteningLinear, "keep the shape"),
])
def test_broken_learner_classes_are_reported(key, cls, words):
    app = W.activation_explorer({cls.__name__: cls, key: cls}, activation=key).app
    assert app.learner_status == "error"
    assert words in app.note.value
    assert dashed_curves(app) is None


def test_learner_softmax_is_drawn():
    class MySoftmax:
        def forward(self, Z):
            E = np.exp(Z - Z.max(axis=1, keepdims=True))
            self.A = E / E.sum(axis=1, keepdims=True)
            return self.A

        def backward(self, dA):
            return self.A * (dA - (dA * self.A).sum(axis=1, keepdims=True))

    app = W.activation_explorer({"SoftMaxActivation": MySoftmax}, activation="softmax").app
    assert app.learner_status == "ok" and "matches" in app.note.value


def test_explorer_rejects_bad_arguments():
    with pytest.raises(TypeError, match="globals"):
        W.activation_explorer([GoodTanh])
    with pytest.raises(ValueError, match="activation must be one of"):
        W.activation_explorer(activation="swish")


# ================================================================== live training

def test_live_training_starts_untrained():
    import ipywidgets

    box = W.live_training()
    assert isinstance(box, ipywidgets.VBox)
    app = box.app
    assert isinstance(app, W.LiveTraining)
    assert app.epoch == 0 and app.train_loss == [] and app.test_loss == []
    assert "epoch 0" in app.status.value
    assert bytes(app.image.value).startswith(PNG_MAGIC)
    assert isinstance(app.controls["play"], ipywidgets.Play)
    assert [type(l.activation).__name__ for l in app.layers] == [
        "ReLUActivation", "ReLUActivation", "SoftMaxActivation"]
    for ax in app.figure.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_one_step_trains_and_updates_the_picture():
    app = W.live_training(epochs_per_step=20).app
    png0 = bytes(app.image.value)
    W0 = [l.W.copy() for l in app.layers]
    loss = app.step()
    assert app.epoch == 20 and len(app.train_loss) == len(app.test_loss) == 20
    assert loss == app.train_loss[-1] < app.train_loss[0]
    assert app.test_loss[-1] < app.test_loss[0]
    assert any(not np.array_equal(a, l.W) for a, l in zip(W0, app.layers))
    assert bytes(app.image.value) != png0
    assert "epoch 20" in app.status.value and f"{loss:.4f}" in app.status.value
    line = app.figure.axes[1].get_lines()[0]
    assert np.allclose(line.get_ydata(), app.train_loss)
    assert "after 20 epochs" in app.figure.axes[0].get_title()


def test_step_matches_neuralnet_gradient_descent():
    """A step is the same full-batch update that NeuralNet.fit makes."""
    app = W.live_training(epochs_per_step=1).app
    layers = [nnlib.LinearLayer(l.input_size, l.output_size, type(l.activation)()) for l in app.layers]
    for mine, ref in zip(layers, app.layers):
        mine.W, mine.b = ref.W.copy(), ref.b.copy()
    X, Y = app.X["train"], app.Y["train"]
    A = X
    for layer in layers:
        A = layer.forward(A)
    expected_loss = float(np.mean(nnlib.categorical_crossentropy(Y, A)))
    dA = layers[-1].backward(nnlib.crossentropy_gradient(Y, A))
    for layer in reversed(layers[:-1]):
        dA = layer.backward(dA)
    for layer in layers:
        nnlib.sgd_step(layer, app.controls["lr"].value)
    assert app.step() == pytest.approx(expected_loss)
    for mine, ref in zip(layers, app.layers):
        assert np.allclose(mine.W, ref.W) and np.allclose(mine.b, ref.b)


def test_step_button_and_play_ticks_train():
    app = W.live_training(epochs_per_step=3).app
    app.controls["step"].click()
    assert app.epoch == 3
    play = app.controls["play"]
    play.value += 1   # what the frontend sends on every tick while playing
    play.value += 1
    assert app.epoch == 9
    play.value = 0    # the stop button: back to the start, no training
    assert app.epoch == 9


def test_reset_restores_the_initial_state():
    app = W.live_training().app
    W0 = [l.W.copy() for l in app.layers]
    png0 = bytes(app.image.value)
    app.controls["play"].playing = True
    app.step(30)
    app.controls["reset"].click()
    assert app.epoch == 0 and app.train_loss == [] and app.test_loss == []
    assert app.controls["play"].playing is False
    assert all(np.array_equal(a, l.W) for a, l in zip(W0, app.layers))
    assert bytes(app.image.value) == png0
    assert "epoch 0" in app.status.value


def test_structure_controls_rebuild_the_network():
    app = W.live_training().app
    app.step(5)
    app.controls["hidden"].value = "4, 3, 5"
    assert [l.W.shape for l in app.layers] == [(2, 4), (4, 3), (3, 5), (5, 2)]
    assert app.epoch == 0
    app.controls["activation"].value = "tanh"
    assert type(app.layers[0].activation) is nnlib.TanhActivation
    app.controls["hidden"].value = ""  # no hidden layer: logistic regression
    assert [l.W.shape for l in app.layers] == [(2, 2)]
    W_seed0 = app.layers[0].W.copy()
    app.controls["seed"].value = 7
    assert not np.array_equal(W_seed0, app.layers[0].W)
    app.controls["optimizer"].value = "adam"
    assert isinstance(app.optimizer, nnlib.Adam)


def test_bad_hidden_sizes_keep_the_network_and_say_why():
    app = W.live_training().app
    shapes = [l.W.shape for l in app.layers]
    app.controls["hidden"].value = "8, many"
    assert [l.W.shape for l in app.layers] == shapes
    assert "whole numbers" in app.status.value
    app.controls["hidden"].value = "0"
    assert "1 to 256" in app.status.value
    assert W.parse_hidden_sizes("(16, 8)") == (16, 8)
    assert W.parse_hidden_sizes([3]) == (3,)


@pytest.mark.parametrize("name", list(W.DATASETS))
def test_every_dataset_trains(name):
    app = W.live_training(dataset=name, epochs_per_step=40).app
    n_classes = 3 if name.startswith("iris") else 2
    assert app.layers[-1].output_size == n_classes
    assert app.X["train"].shape[1] == 2 and len(app.X["test"]) > 0
    assert np.allclose(app.X["train"].mean(axis=0), 0, atol=1e-12)  # standardised for training
    app.step()
    assert app.train_loss[-1] < app.train_loss[0]
    xlabel = app.figure.axes[0].get_xlabel()
    assert ("petal" in xlabel or "sepal" in xlabel) if name.startswith("iris") else xlabel


def test_learning_rate_changes_mid_training_and_divergence_is_caught():
    app = W.live_training(optimizer="sgd").app
    app.step(2)
    app.controls["lr"].value = 3.0
    assert app.optimizer.lr == pytest.approx(3.0) and app.epoch == 2  # no reset
    app.controls["play"].playing = True
    for layer in app.layers:  # force an overflow: absurd weights
        layer.W *= 1e200
    assert app.step(5) is None
    assert app.diverged and app.controls["play"].playing is False
    assert "diverged" in app.status.value
    epoch = app.epoch
    app.controls["play"].value += 1
    assert app.epoch == epoch  # stays put until reset
    app.controls["reset"].click()
    assert not app.diverged and app.step(1) is not None


def test_live_training_rejects_bad_arguments():
    with pytest.raises(ValueError, match="dataset"):
        W.live_training(dataset="mnist")
    with pytest.raises(ValueError, match="activation"):
        W.live_training(activation="softmax")
    with pytest.raises(ValueError, match="optimizer"):
        W.live_training(optimizer="rmsprop")
