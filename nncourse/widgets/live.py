"""Live training: a small network learning a 2-D data set, epoch by epoch."""
import html
import math
import re

import numpy as np

from nnlib.activations import ACTIVATIONS
from nnlib import _fast
from nnlib.optimizers import OPTIMIZERS
from nnlib.plotting import PALETTE

from ._common import ipywidgets_module, new_figure, png, rc

__all__ = ["LiveTraining", "live_training", "DATASETS", "parse_hidden_sizes"]


def _moons(seed):
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=240, noise=0.25, random_state=seed)
    return X, y, ("x₁", "x₂"), ("upper moon", "lower moon")


def _circles(seed):
    from sklearn.datasets import make_circles

    X, y = make_circles(n_samples=240, noise=0.12, factor=0.45, random_state=seed)
    return X, y, ("x₁", "x₂"), ("outer ring", "inner ring")


def _iris(columns):
    def load(seed):
        from sklearn.datasets import load_iris

        data = load_iris()
        names = tuple(data.feature_names[c] for c in columns)
        return data.data[:, columns], data.target, names, tuple(data.target_names)

    return load


#: The 2-D data sets of `live_training`: label -> function(seed) returning
#: ``X (m, 2), y (m,), feature names, class names``.
DATASETS = {
    "moons": _moons,
    "circles": _circles,
    "iris: petal length & width": _iris([2, 3]),
    "iris: sepal length & width": _iris([0, 1]),
}

_HIDDEN_ACTIVATIONS = [k for k in ACTIVATIONS if k != "softmax"]


def parse_hidden_sizes(text):
    """``"8, 8"`` -> ``(8, 8)``; ``""`` -> ``()`` (no hidden layer). Raises ValueError."""
    if isinstance(text, (tuple, list)):
        parts = list(text)
    else:
        parts = [p for p in re.split(r"[\s,;]+", str(text).strip().strip("()[]")) if p]
    sizes = []
    for part in parts:
        try:
            size = int(part)
        except (TypeError, ValueError):
            raise ValueError(f"hidden layer sizes must be whole numbers such as 8, 8; got {part!r}") from None
        if not 1 <= size <= 256:
            raise ValueError(f"each hidden layer needs 1 to 256 units, got {size}")
        sizes.append(size)
    if len(sizes) > 6:
        raise ValueError(f"at most 6 hidden layers here, got {len(sizes)}")
    return tuple(sizes)


class LiveTraining:
    """Controller of the live-training widget (see `live_training`).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The container a notebook cell shows; its ``app`` attribute leads back here.
    controls : dict of ipywidgets
        ``"dataset"``, ``"hidden"`` (Text such as ``"8, 8"``), ``"activation"``,
        ``"optimizer"``, ``"lr"`` (FloatLogSlider), ``"epochs_per_step"``,
        ``"seed"``, ``"play"`` (ipywidgets.Play: each tick trains one step),
        ``"step"`` and ``"reset"`` (Buttons).
    layers : list of LinearLayer
        The network being trained (softmax output layer last).
    epoch : int
        Epochs trained since the last reset.
    train_loss, test_loss : list of float
        Mean cross-entropy per epoch, measured before that epoch's update.
    figure, image, status : the figure, its PNG on screen, the status line.
    """

    def __init__(self, dataset="moons", hidden_layer_sizes=(8, 8), activation="relu", lr=0.3,
                 optimizer="sgd", epochs_per_step=10, seed=0, interval=300, font_size=14, dpi=80,
                 resolution=160):
        if dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {list(DATASETS)}, got {dataset!r}")
        if activation not in _HIDDEN_ACTIVATIONS:
            raise ValueError(f"activation must be one of {_HIDDEN_ACTIVATIONS}, got {activation!r}")
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {list(OPTIMIZERS)}, got {optimizer!r}")
        sizes = parse_hidden_sizes(hidden_layer_sizes)
        w = ipywidgets_module()
        self.font_size = font_size
        self.resolution = int(resolution)
        self.figure = new_figure((12, 4.8), dpi, layout=None)
        self.message = ""
        self.diverged = False
        style = {"description_width": "initial"}
        self.controls = {
            "dataset": w.Dropdown(options=list(DATASETS), value=dataset, description="data",
                                  style=style, layout=w.Layout(width="300px")),
            "hidden": w.Text(value=", ".join(map(str, sizes)), description="hidden layer sizes",
                             placeholder="e.g. 8, 8", continuous_update=False, style=style,
                             layout=w.Layout(width="260px")),
            "activation": w.Dropdown(options=[(k.replace("_", " "), k) for k in _HIDDEN_ACTIVATIONS],
                                     value=activation, description="activation", style=style,
                                     layout=w.Layout(width="220px")),
            "optimizer": w.Dropdown(options=list(OPTIMIZERS), value=optimizer, description="optimizer",
                                    style=style, layout=w.Layout(width="200px")),
            "lr": w.FloatLogSlider(value=lr, base=10, min=-3, max=0.5, step=0.1,
                                   description="learning rate", readout_format=".3g",
                                   continuous_update=False, style=style, layout=w.Layout(width="380px")),
            "epochs_per_step": w.IntSlider(value=epochs_per_step, min=1, max=100, description="epochs per step",
                                           continuous_update=False, style=style,
                                           layout=w.Layout(width="380px")),
            "seed": w.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="seed", style=style,
                                     layout=w.Layout(width="160px")),
            "play": w.Play(value=0, min=0, max=10**9, step=1, interval=interval, show_repeat=False,
                           description="play"),
            "step": w.Button(description="Step", icon="step-forward", tooltip="train one step"),
            "reset": w.Button(description="Reset", icon="refresh",
                              tooltip="new weights (from the seed) and an empty history"),
        }
        self.image = w.Image(format="png", layout=w.Layout(width="100%", max_width="1100px"))
        self.status = w.HTML()
        c = self.controls
        self.widget = w.VBox(
            [
                w.HTML(f"<b style='font-size:{font_size + 4}px'>Live training</b>"),
                w.HBox([c["dataset"], c["hidden"], c["activation"]]),
                w.HBox([c["optimizer"], c["lr"], c["seed"]]),
                w.HBox([c["play"], c["step"], c["reset"], c["epochs_per_step"]]),
                self.status,
                self.image,
            ],
            layout=w.Layout(padding="4px"),
        )
        self.widget.add_class("nnlib-live-training")
        self.widget.app = self
        for name in ("dataset", "hidden", "activation", "optimizer", "seed"):
            c[name].observe(self._on_structure, names="value")
        c["lr"].observe(self._on_lr, names="value")
        c["play"].observe(self._on_tick, names="value")
        c["step"].on_click(lambda _button: self.step())
        c["reset"].on_click(lambda _button: self.reset())
        self.reset()

    # -------------------------------------------------------------- callbacks
    def _on_structure(self, change):
        self.reset()

    def _on_lr(self, change):
        # Takes effect at the next step, without losing the weights trained so far.
        if getattr(self, "optimizer", None) is not None:
            self.optimizer.lr = float(change["new"])

    def _on_tick(self, change):
        if change["new"] > change["old"]:
            self.step()

    # ------------------------------------------------------------------ model
    def reset(self):
        """New data split and weights from the seed, empty history, playback stopped."""
        from sklearn.model_selection import train_test_split

        from nnlib.layers import LinearLayer

        c = self.controls
        c["play"].playing = False
        seed = int(c["seed"].value)
        try:
            sizes = parse_hidden_sizes(c["hidden"].value)
        except ValueError as exc:
            self.message = f"⚠ {exc}. Kept the previous network."
            self._render()
            return
        X, y, self.feature_names, self.class_names = DATASETS[c["dataset"].value](seed)
        self.classes = np.unique(y)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, random_state=seed, stratify=y)
        # Train on standardised features (training statistics); plot in the data's own units.
        self.mean, self.scale = _fast.standardisation(X_train)
        self.X_raw = {"train": X_train, "test": X_test}
        self.y = {"train": y_train, "test": y_test}
        self.X = {k: self._standardise(v) for k, v in self.X_raw.items()}
        self.Y = {k: (v[:, None] == self.classes[None, :]).astype(float) for k, v in self.y.items()}

        rng = np.random.default_rng(seed)
        dims = [2, *sizes, len(self.classes)]
        self.layers = []
        for i, (n_in, n_out) in enumerate(zip(dims, dims[1:])):
            last = i == len(dims) - 2
            act = ACTIVATIONS["softmax" if last else c["activation"].value]()
            layer = LinearLayer(n_in, n_out, activation=act)
            # He initialisation for ReLU-like units, Glorot otherwise, as NeuralNet does.
            relu_like = c["activation"].value in ("relu", "leaky_relu") and not last
            layer.init_params(n_in, n_out, rng, scale=math.sqrt(2.0 / (n_in if relu_like else n_in + n_out)))
            self.layers.append(layer)
        self.optimizer = OPTIMIZERS[c["optimizer"].value](lr=float(c["lr"].value))
        # The same full-batch steps as NeuralNet.fit takes; it reads optimizer.lr on every step.
        self.trainer = _fast.Trainer(self.layers, self.optimizer, self.X["train"], self.Y["train"])
        self.epoch = 0
        self.train_loss, self.test_loss = [], []
        self.diverged = False
        self.message = ""
        self._build_figure()
        self._render()

    def _standardise(self, X):
        return _fast.standardise(X, self.mean, self.scale)

    def predict_proba(self, X_raw):
        """Class probabilities for points in the data's own units."""
        with np.errstate(all="ignore"):
            return _fast.predict_proba(self.layers, self._standardise(np.asarray(X_raw, dtype=float)))

    def _loss(self, P, Y):
        return _fast.mean_crossentropy(P, Y)

    def accuracy(self, part):
        """Fraction of correct predictions on ``"train"`` or ``"test"``."""
        pred = self.classes[np.argmax(self.predict_proba(self.X_raw[part]), axis=1)]
        return float(np.mean(pred == self.y[part]))

    def step(self, epochs=None):
        """Train ``epochs`` (default: the epochs-per-step slider) full-batch epochs, then redraw.

        Returns the last training loss (None when training has diverged).
        """
        if self.diverged:
            self.controls["play"].playing = False
            return None
        epochs = int(self.controls["epochs_per_step"].value if epochs is None else epochs)
        with self.trainer.running():
            for _ in range(epochs):
                # On the weights the training loss is measured on: before this epoch's update.
                test_loss = self._loss(_fast.predict_proba(self.layers, self.X["test"]), self.Y["test"])
                train_loss = self.trainer.epoch()
                if not (np.isfinite(train_loss) and all(np.isfinite(l.W).all() for l in self.layers)):
                    self.diverged = True
                    self.controls["play"].playing = False
                    self.message = (f"⚠ Training diverged at epoch {self.epoch + 1} (the loss became "
                                    "infinite): lower the learning rate and press Reset.")
                    break
                self.train_loss.append(train_loss)
                self.test_loss.append(test_loss)
                self.epoch += 1
        self._render()
        return None if self.diverged else self.train_loss[-1]

    # ---------------------------------------------------------------- drawing
    def status_text(self):
        if not self.train_loss:
            return f"epoch 0 · untrained · test accuracy {self.accuracy('test'):.0%}"
        return (f"epoch {self.epoch} · train loss {self.train_loss[-1]:.4f} · "
                f"test loss {self.test_loss[-1]:.4f} · train accuracy {self.accuracy('train'):.0%} · "
                f"test accuracy {self.accuracy('test'):.0%}")

    def _build_figure(self):
        """Axes, samples, labels and legends: everything that stays until the next reset."""
        import matplotlib
        from matplotlib.lines import Line2D

        with matplotlib.rc_context(rc(self.font_size)):
            fig = self.figure
            fig.clear()
            ax_data, ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
            fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.92, wspace=0.42)
            X_all = np.vstack([self.X_raw["train"], self.X_raw["test"]])
            lo, hi = X_all.min(axis=0), X_all.max(axis=0)
            pad = 0.08 * np.where(hi > lo, hi - lo, 1.0)
            self._extent = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
            gx = np.linspace(self._extent[0], self._extent[1], self.resolution)
            gy = np.linspace(self._extent[2], self._extent[3], self.resolution)
            xx, yy = np.meshgrid(gx, gy)
            self._grid = np.column_stack([xx.ravel(), yy.ravel()])
            # Region colours: the class colour mixed with white, as a lookup table.
            rgb = np.array([matplotlib.colors.to_rgb(c) for c in PALETTE[: len(self.classes)]])
            self._region_colours = 1.0 - 0.32 * (1.0 - rgb)
            self._region = ax_data.imshow(
                np.ones((self.resolution, self.resolution, 3)), extent=self._extent, origin="lower",
                aspect="auto", interpolation="nearest", zorder=0)
            markers = "os^"
            handles = []
            for i, c in enumerate(self.classes):
                colour, marker = PALETTE[i], markers[i % len(markers)]
                tr, te = self.y["train"] == c, self.y["test"] == c
                ax_data.scatter(*self.X_raw["train"][tr].T, color=colour, marker=marker, s=36,
                                edgecolor="black", linewidth=0.5, zorder=2)
                ax_data.scatter(*self.X_raw["test"][te].T, facecolor="white", marker=marker, s=40,
                                edgecolor=colour, linewidth=1.8, zorder=2)
                handles.append(Line2D([], [], linestyle="", marker=marker, markersize=8, color=colour,
                                      markeredgecolor="black", markeredgewidth=0.5, label=self.class_names[i]))
            handles.append(Line2D([], [], linestyle="", marker="o", markersize=8, markerfacecolor="white",
                                  markeredgecolor="0.3", markeredgewidth=1.8, label="hollow: test"))
            ax_data.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0),
                           fontsize=self.font_size - 4, framealpha=0.9, borderaxespad=0.3)
            ax_data.set(xlabel=self.feature_names[0], ylabel=self.feature_names[1],
                        xlim=self._extent[:2], ylim=self._extent[2:])
            self._data_title = ax_data.set_title("")
            (self._train_line,) = ax_loss.plot([], [], color=PALETTE[0], label="train")
            (self._test_line,) = ax_loss.plot([], [], color=PALETTE[1], linestyle="--", label="test")
            ax_loss.legend(loc="upper right")
            ax_loss.set(title="Loss (mean cross-entropy)", xlabel="epoch", ylabel="loss", xlim=(0, 10), ylim=(0, 1))
            ax_loss.grid(alpha=0.3)
            self._hint = ax_loss.text(0.5, 0.5, "press ▶ or Step to train", ha="center", va="center",
                                      transform=ax_loss.transAxes, color="0.35")
            self._axes = (ax_data, ax_loss)

    def _render(self):
        """Update regions, loss curves and status for the current weights; redraw the PNG."""
        import matplotlib

        ax_data, ax_loss = self._axes
        region = np.argmax(self.predict_proba(self._grid), axis=1)
        self._region.set_data(self._region_colours[region].reshape(self.resolution, self.resolution, 3))
        self._data_title.set_text(f"Decision regions after {self.epoch} epochs")
        epochs = np.arange(1, len(self.train_loss) + 1)
        self._train_line.set_data(epochs, self.train_loss)
        self._test_line.set_data(epochs, self.test_loss)
        self._hint.set_visible(not self.train_loss)
        if self.train_loss:
            top = max(max(self.train_loss), max(self.test_loss))
            ax_loss.set_xlim(0, max(10, int(epochs[-1])))
            ax_loss.set_ylim(0, 1.05 * top if np.isfinite(top) and top > 0 else 1.0)
        with matplotlib.rc_context(rc(self.font_size)):
            self.image.value = png(self.figure)
        text = html.escape(self.status_text())
        if self.message:
            text += f"<br><span style='color:{PALETTE[3]}'>{html.escape(self.message)}</span>"
        self.status.value = f"<div style='font-size:{self.font_size + 2}px'>{text}</div>"


def live_training(dataset="moons", hidden_layer_sizes=(8, 8), activation="relu", lr=0.3, optimizer="sgd",
                  epochs_per_step=10, seed=0, font_size=14):
    """Train a small network on a 2-D data set and watch it learn.

    Controls: data set (moons, circles, two iris features), hidden layer
    sizes, activation, optimizer, learning rate, seed, and ▶/❚❚ (play and
    pause; each tick trains ``epochs_per_step`` epochs), Step and Reset.
    The decision regions and the train and test loss curves redraw after
    every step. Changing the data, architecture, optimizer or seed starts
    again from new weights; the learning rate can change mid-training.

    Returns
    -------
    ipywidgets.VBox
        Display it (make it the last expression of a cell). Its ``app``
        attribute is the `LiveTraining` behind it (``app.step()``,
        ``app.reset()``, ``app.train_loss`` ...).
    """
    return LiveTraining(dataset=dataset, hidden_layer_sizes=hidden_layer_sizes, activation=activation,
                        lr=lr, optimizer=optimizer, epochs_per_step=epochs_per_step, seed=seed,
                        font_size=font_size).widget
