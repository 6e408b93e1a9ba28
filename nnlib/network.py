"""`NeuralNet`: a multi-layer perceptron classifier with the scikit-learn
estimator contract.

It trains a stack of `LinearLayer` objects whose last activation is softmax,
by gradient descent on the mean categorical cross-entropy. This module is
the scikit-learn side (parameters, checks, layers, fitted attributes); the
training loop and what makes it fast live in `nnlib._fast`.
"""
import copy
import sys

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _fast
from .activations import ACTIVATIONS, Activation, SoftMaxActivation
from .layers import LinearLayer
from .optimizers import OPTIMIZERS, Optimizer, _check_lr

__all__ = ["NeuralNet"]

_RELU_LIKE = ("ReLUActivation", "LeakyReLUActivation")


def _rng_from(random_state):
    """A numpy Generator from None, an int, a Generator or a legacy RandomState."""
    if isinstance(random_state, np.random.RandomState):
        random_state = random_state.randint(np.iinfo(np.int32).max)
    if random_state is not None and not isinstance(random_state, (int, np.integer, np.random.Generator)):
        raise TypeError(f"random_state must be None, an int or a numpy Generator, got {random_state!r}")
    return np.random.default_rng(random_state)


class NeuralNet(ClassifierMixin, BaseEstimator):
    """Multi-layer perceptron classifier trained by gradient descent.

    Parameters
    ----------
    layers : list of LinearLayer, optional
        The architecture, e.g. the lesson's
        ``[LinearLayer(4, 10, ReLUActivation()), LinearLayer(10, 5, ReLUActivation()),
        LinearLayer(5, 3, SoftMaxActivation())]``. The last layer must use
        `SoftMaxActivation` and have one unit per class. The list is never
        modified: `fit` trains deep copies (``layers_``) whose weights are
        re-initialised from `random_state`. ``None`` builds
        ``hidden_layer_sizes`` hidden layers sized from the data at `fit`.
    lr : float, default 0.1
        Learning rate (used when `optimizer` is a name).
    epochs : int, default 1000
        Passes over the training data.
    batch_size : int, optional
        Mini-batch size; ``None`` means full-batch gradient descent.
        Mini-batches are reshuffled every epoch from `random_state`.
    optimizer : {"sgd", "momentum", "adam"} or Optimizer, default "sgd"
        An `Optimizer` instance is copied, so its own ``lr`` applies.
    hidden_layer_sizes : tuple of int, default (64,)
        Hidden units of the default architecture (only when ``layers=None``).
    activation : str, default "relu"
        Hidden activation of the default architecture, a key of
        ``nnlib.ACTIVATIONS``.
    standardize : bool, default True
        Centre and scale every feature with the training mean and standard
        deviation (kept in ``mean_`` and ``scale_`` and applied again at
        prediction). Gradient descent with one learning rate for all weights
        trains far more reliably on features of unit scale: with it, the
        lesson's example on raw iris reaches 100 % test accuracy for every
        seed tried; without it, many seeds stall or lose all their ReLUs.
    random_state : int, numpy Generator or None
        Seeds weight initialisation and shuffling. ``None`` differs per run.
    verbose : bool, default False
        Show a progress bar with the loss (a widget in notebooks, text in a
        terminal; written to stdout, never stderr).

    Attributes
    ----------
    classes_ : ndarray, shape (n_classes,)
    n_features_in_ : int
    layers_ : list of LinearLayer
        The trained layers.
    loss_curve_ : list of float
        Mean training cross-entropy of each epoch.
    n_iter_ : int
        Epochs run.
    optimizer_ : Optimizer
    mean_, scale_ : ndarray of shape (n_features,) or None
        The standardisation learned at `fit` (None with ``standardize=False``).
    """

    def __init__(
        self,
        layers=None,
        lr=0.1,
        epochs=1000,
        batch_size=None,
        optimizer="sgd",
        hidden_layer_sizes=(64,),
        activation="relu",
        standardize=True,
        random_state=None,
        verbose=False,
    ):
        self.layers = layers
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.standardize = standardize
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ setup
    def _check_params(self):
        epochs = self.epochs
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(f"epochs must be a positive int, got {epochs!r}")
        bs = self.batch_size
        if bs is not None and (isinstance(bs, bool) or not isinstance(bs, (int, np.integer)) or bs < 1):
            raise ValueError(f"batch_size must be None or a positive int, got {bs!r}")
        if isinstance(self.optimizer, str):
            if self.optimizer not in OPTIMIZERS:
                raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)} or an Optimizer, got {self.optimizer!r}")
            if isinstance(self.lr, bool) or not isinstance(self.lr, (int, float, np.floating)) or not self.lr > 0:
                raise ValueError(f"lr must be a positive number, got {self.lr!r}")
            return OPTIMIZERS[self.optimizer](lr=self.lr)
        if isinstance(self.optimizer, Optimizer):
            _check_lr(self.optimizer.lr)
            opt = copy.deepcopy(self.optimizer)
            opt.reset()
            return opt
        raise TypeError(f"optimizer must be a name or an nnlib Optimizer, got {self.optimizer!r}")

    def _build_layers(self, n_features, n_classes, dtype, rng):
        if self.layers is None:
            sizes = self.hidden_layer_sizes
            if isinstance(sizes, (int, np.integer)):
                sizes = (sizes,)
            if not all(isinstance(s, (int, np.integer)) and s >= 1 for s in sizes):
                raise ValueError(f"hidden_layer_sizes must be positive ints, got {self.hidden_layer_sizes!r}")
            if self.activation not in ACTIVATIONS or self.activation == "softmax":
                raise ValueError(
                    f"activation must be one of {sorted(k for k in ACTIVATIONS if k != 'softmax')}, "
                    f"got {self.activation!r}"
                )
            dims = [n_features, *sizes]
            layers = [LinearLayer(int(i), int(o), ACTIVATIONS[self.activation]()) for i, o in zip(dims, dims[1:])]
            layers.append(LinearLayer(int(dims[-1]), n_classes, SoftMaxActivation()))
        else:
            if not isinstance(self.layers, (list, tuple)) or len(self.layers) == 0:
                raise TypeError(f"layers must be a non-empty list of LinearLayer, got {self.layers!r}")
            for i, layer in enumerate(self.layers):
                if not isinstance(layer, LinearLayer):
                    raise TypeError(f"layers[{i}] must be an nnlib LinearLayer, got {type(layer).__name__}")
            layers = copy.deepcopy(list(self.layers))
            if layers[0].input_size != n_features:
                raise ValueError(
                    f"X has {n_features} features but the first layer expects {layers[0].input_size} "
                    f"(LinearLayer({layers[0].input_size}, ...))"
                )
            for i, (a, b) in enumerate(zip(layers, layers[1:])):
                if a.output_size != b.input_size:
                    raise ValueError(
                        f"layers[{i}] outputs {a.output_size} values but layers[{i + 1}] expects {b.input_size}"
                    )
            if not isinstance(layers[-1].activation, SoftMaxActivation):
                raise ValueError(
                    "the last layer must use SoftMaxActivation: NeuralNet minimises the cross-entropy "
                    f"of softmax probabilities, got {layers[-1].activation!r}"
                )
            if layers[-1].output_size != n_classes:
                raise ValueError(
                    f"the last layer has {layers[-1].output_size} units but y has {n_classes} classes; "
                    "use one output unit per class"
                )
            for layer in layers:
                if not isinstance(layer.activation, Activation):
                    raise TypeError(f"layer activations must be nnlib activations, got {layer.activation!r}")
        for layer in layers:
            fan_in, fan_out = layer.W.shape
            # He initialisation keeps ReLU signals at a steady scale; Glorot for the rest.
            if type(layer.activation).__name__ in _RELU_LIKE:
                scale = np.sqrt(2.0 / fan_in)
            else:
                scale = np.sqrt(2.0 / (fan_in + fan_out))
            layer.init_params(fan_in, fan_out, rng, scale=scale)
            layer.W = layer.W.astype(dtype, copy=False)
            layer.b = layer.b.astype(dtype, copy=False)
        return layers

    # ---------------------------------------------------------------- training
    def fit(self, X, y):
        """Train on ``X`` (m, n_features) and labels ``y`` (m,). Returns self."""
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        check_classification_targets(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                f"NeuralNet needs at least 2 classes to train, got only one class: {self.classes_[0]!r}"
            )
        optimizer = self._check_params()
        if self.standardize:
            # The trainer standardises each batch as it gathers it: no copy of X.
            self.mean_, self.scale_ = _fast.standardisation(X)
        else:
            self.mean_ = self.scale_ = None
        rng = _rng_from(self.random_state)
        layers = self._build_layers(X.shape[1], n_classes, X.dtype, rng)
        Y = np.zeros((X.shape[0], n_classes), dtype=X.dtype)
        Y[np.arange(X.shape[0]), y_idx] = 1.0
        trainer = _fast.Trainer(layers, optimizer, X, Y, batch_size=self.batch_size, rng=rng,
                                mean=self.mean_, scale=self.scale_)
        bar = self._progress_bar() if self.verbose else None
        losses = []
        with trainer.running():
            for epoch in range(int(self.epochs)):
                loss = trainer.epoch()
                if not np.isfinite(loss):
                    raise ValueError(
                        f"training diverged at epoch {epoch + 1} (loss is {loss}); "
                        f"lower the learning rate (lr={self.lr}) or standardise the features"
                    )
                losses.append(loss)
                if bar is not None:
                    bar.update(1)
                    if epoch % max(1, self.epochs // 100) == 0 or epoch == self.epochs - 1:
                        bar.set_postfix(loss=f"{loss:.4f}", refresh=False)
        if bar is not None:
            bar.close()
        trainer.finish()
        self.layers_ = layers
        self.optimizer_ = optimizer
        self.loss_curve_ = losses
        self.n_iter_ = len(losses)
        return self

    def _progress_bar(self):
        from tqdm.auto import tqdm

        return tqdm(total=int(self.epochs), desc="training", unit="epoch", file=sys.stdout, leave=True)

    # --------------------------------------------------------------- inference
    def predict_proba(self, X):
        """Class probabilities, shape (m, n_classes), columns in ``classes_`` order."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return _fast.predict_proba(self.layers_, X, self.mean_, self.scale_)

    def predict(self, X):
        """Predicted class labels, shape (m,)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]
