"""The speed machinery of training: what `NeuralNet.fit` and the live-training
widget run, kept apart from the layers so that those read like the exercises.

Private to nnlib; the API is small:

``Trainer(layers, optimizer, X, Y, batch_size=None, rng=None)``
    Gradient descent on the mean cross-entropy of a stack of `LinearLayer`
    objects whose last activation is softmax. ``epoch()`` runs one pass over
    ``X`` and returns its mean loss; ``running()`` is the context to call it
    in; ``finish()`` drops what training left on the layers and optimiser.
``predict_proba(layers, X)``
    The softmax output of the stack, with nothing cached.
``mean_crossentropy(P, Y)``
    The loss `Trainer.epoch` reports, for probabilities computed elsewhere.
``standardisation(X)``, ``standardise(X, mean, scale)``
    Per-feature centring and scaling from training statistics.

Typical use::

    trainer = Trainer(layers, optimizer, X, Y, batch_size=32, rng=rng)
    with trainer.running():
        losses = [trainer.epoch() for _ in range(epochs)]
    trainer.finish()
"""
import contextlib
import functools

import numpy as np
from threadpoolctl import ThreadpoolController

from .losses import EPSILON
from .optimizers import SGD, Adam, Momentum, Optimizer

__all__ = ["Trainer", "predict_proba", "mean_crossentropy", "standardisation", "standardise"]

# Multiply-adds per matrix product below which one BLAS thread is faster.
_SINGLE_THREAD_WORK = 2_000_000


@functools.cache
def _threadpools():
    # Made once: inspecting the loaded libraries takes about 4 ms, a noticeable
    # part of a small fit.
    return ThreadpoolController()


def _speed_options(optimizer):
    """(fold_lr, reuse_gradients) for training with this optimiser.

    Only nnlib's own update rules are known to read a gradient during the call
    and keep no reference to it, so only they get gradient arrays that the next
    mini-batch overwrites; and only plain SGD's and momentum's are linear in
    the gradient, so only they may receive ``lr * gradient``. A subclass that
    overrides ``step`` or ``_update`` gets the plain, allocating path.
    """
    cls = type(optimizer)
    if cls.step is not Optimizer.step:
        return False, False
    builtin = cls._update in (SGD._update, Momentum._update, Adam._update)
    return builtin and optimizer.lr_foldable, builtin


def _log_clipped(P):
    """``log(clip(P, EPSILON, 1 - EPSILON))`` in one new array."""
    logP = np.maximum(P, EPSILON)
    np.minimum(logP, 1.0 - EPSILON, out=logP)
    return np.log(logP, out=logP)


def mean_crossentropy(P, Y):
    """Mean categorical cross-entropy of probabilities ``P`` (m, C) against one-hot ``Y`` (m, C).

    Computed exactly as `Trainer.epoch` computes its loss (clipped as in
    `nnlib.categorical_crossentropy`), so the two can be compared.
    """
    return -float(np.vdot(Y, _log_clipped(P))) / P.shape[0]


def predict_proba(layers, X):
    """Output of the stack of layers for ``X`` (m, n_in), keeping nothing on the layers.

    Overflow in a badly trained network gives inf or nan here, never a warning.
    """
    A = X
    with np.errstate(all="ignore"):
        for layer in layers:
            A = layer.predict(A)
    return A


def standardisation(X):
    """Per-feature mean and standard deviation of ``X`` (m, n), each of shape (n,).

    A constant feature gets scale 1, so that it stays at zero instead of 0/0.
    """
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale


def standardise(X, mean, scale):
    """``(X - mean) / scale``: features in units of the training statistics."""
    return (X - mean) / scale


def _forget_batch(layer):
    """Drop the arrays the last forward pass kept, so a fitted model pickles small."""
    layer.A_prev = layer.Z = None
    for name in ("Z", "A"):
        if getattr(layer.activation, name, None) is not None:
            setattr(layer.activation, name, None)


class Trainer:
    """Epochs of gradient descent on the mean cross-entropy, made fast.

    Parameters
    ----------
    layers : list of LinearLayer
        Trained in place; the last must use `SoftMaxActivation`, so that the
        fused gradient ``(P - Y) / m`` enters it directly.
    optimizer : Optimizer
        Updates the layers after every batch.
    X : ndarray, shape (m, n_in)
        Training inputs, float64 or float32 like the weights.
    Y : ndarray, shape (m, n_classes)
        One-hot targets of the same dtype.
    batch_size : int, optional
        ``None`` (or at least m) trains full-batch.
    rng : numpy.random.Generator, optional
        Shuffles the mini-batches of every epoch; needed only with them.

    Notes
    -----
    What makes it fast, without changing the maths of the public
    forward/backward API:

    * the loss gradient ``(P - Y) / m`` of softmax plus cross-entropy enters
      the last layer's linear part directly, skipping the softmax Jacobian;
    * with nnlib's SGD and momentum, ``lr`` rides along with the ``1/m`` on
      that small (m, n_classes) array, so every ``dW`` comes out as
      ``lr * gradient`` and the update needs no extra pass over the weights;
    * with nnlib's own optimisers, every batch writes its gradients into the
      arrays of the previous one: a fresh weight-sized array per step costs
      page faults that rival the matrix product itself;
    * the first layer skips ``dA_prev``, a matrix product nobody uses;
    * mini-batches are gathered into reused buffers;
    * small matrix products run on one BLAS thread (see `running`).
    """

    def __init__(self, layers, optimizer, X, Y, batch_size=None, rng=None):
        self.layers = list(layers)
        self.optimizer = optimizer
        self.X, self.Y = X, Y
        m = X.shape[0]
        self.batch = m if batch_size is None else min(int(batch_size), m)
        if self.batch < m and rng is None:
            raise ValueError("mini-batch training needs an rng to shuffle the batches")
        self.rng = rng
        self.fold_lr, self.reuse = _speed_options(optimizer)
        self._grads = [(None, None)] * len(self.layers)
        if self.batch < m:
            self._X_buf = np.empty((self.batch, X.shape[1]), dtype=X.dtype)
            self._Y_buf = np.empty((self.batch, Y.shape[1]), dtype=Y.dtype)

    @contextlib.contextmanager
    def running(self):
        """Context for calls of `epoch`: BLAS threads and numpy warnings.

        Small matrix products run faster on one BLAS thread than on several
        that must synchronise for every call; big ones keep all threads.
        Floating-point warnings are silenced: divergence shows as a
        non-finite loss, which the caller checks and reports.
        """
        work = self.batch * max(layer.W.size for layer in self.layers)
        threads = 1 if work < _SINGLE_THREAD_WORK else None
        with _threadpools().limit(limits=threads, user_api="blas"), np.errstate(all="ignore"):
            yield self

    def epoch(self):
        """One pass over the training data; returns its mean loss.

        The loss of each batch is measured in its forward pass, before its
        update. Mini-batches are reshuffled every epoch.
        """
        X, Y = self.X, self.Y
        m = X.shape[0]
        if self.batch == m:
            return self._step(X, Y) / m
        order = self.rng.permutation(m)
        total = 0.0
        for start in range(0, m, self.batch):
            idx = order[start:start + self.batch]
            k = len(idx)
            # mode="clip" (the indices are valid anyway) lets take write
            # straight into out instead of through a buffer of its own.
            xb = X.take(idx, axis=0, out=self._X_buf[:k], mode="clip")
            yb = Y.take(idx, axis=0, out=self._Y_buf[:k], mode="clip")
            total += self._step(xb, yb)
        return total / m

    def _step(self, X, Y):
        """One gradient step on a batch; returns the batch's *summed* loss,
        so that epochs with a short last batch average correctly."""
        layers = self.layers
        A = X
        for layer in layers:
            A = layer.forward(A)
        loss = -float(np.vdot(Y, _log_clipped(A)))
        dZ = A - Y
        dZ *= (self.optimizer.lr if self.fold_lr else 1.0) / X.shape[0]
        dA = None  # the output layer gets dZ directly
        for i in range(len(layers) - 1, -1, -1):
            layer = layers[i]
            if dA is not None:
                dZ = layer.activation.backward(dA)
            dW, db = self._grads[i]
            if not (self.reuse and dW is not None and dW.dtype == dZ.dtype == layer.A_prev.dtype):
                dW = db = None
            layer.dW = np.matmul(layer.A_prev.T, dZ, out=dW)
            layer.db = dZ.sum(axis=0, keepdims=True, out=db)
            if self.reuse:
                self._grads[i] = (layer.dW, layer.db)
            dA = dZ @ layer.W.T if i > 0 else None
        if self.fold_lr:
            self.optimizer.step(layers, lr_applied=True)
        else:
            self.optimizer.step(layers)
        return loss

    def finish(self):
        """Leave the layers as a fitted model: no batch, no gradients, no scratch arrays.

        The gradients may carry the factor lr (see the Notes), so they are
        not part of the model.
        """
        for layer in self.layers:
            _forget_batch(layer)
            layer.dW = layer.db = None
        self._grads = [(None, None)] * len(self.layers)
        self.optimizer.release_buffers()
