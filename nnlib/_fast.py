"""The speed machinery of training: what `NeuralNet.fit` and the live-training
widget run, kept apart from the layers so that those read like the exercises.

Private to nnlib; the API is small:

``Trainer(layers, optimizer, X, Y, batch_size=None, rng=None, mean=None, scale=None)``
    Gradient descent on the mean cross-entropy of a stack of `LinearLayer`
    objects whose last activation is softmax. ``epoch()`` runs one pass over
    ``X`` and returns its mean loss; ``running()`` is the context to call it
    in; ``finish()`` drops what training left on the layers and optimiser.
    With ``mean`` and ``scale`` it trains on ``standardise(X, mean, scale)``
    without ever making that array.
``predict_proba(layers, X, mean=None, scale=None)``
    The softmax output of the stack (of standardised ``X``), nothing cached.
``mean_crossentropy(P, Y)``
    The loss `Trainer.epoch` reports, for probabilities computed elsewhere.
``standardisation(X)``, ``standardise(X, mean, scale)``
    Per-feature centring and scaling from training statistics.

Typical use: ``with trainer.running(): losses = [trainer.epoch() for _ in
range(epochs)]``, then ``trainer.finish()``.
"""
import contextlib
import functools

import numpy as np
from threadpoolctl import ThreadpoolController

from .activations import ReLUActivation
from .losses import EPSILON
from .optimizers import SGD, Adam, Momentum, Optimizer
from ._scaling import block_rows, standardisation, standardise, standardise_into  # noqa: F401  (re-exported)

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

    Only nnlib's own update rules are known to keep no reference to a
    gradient, so only they get gradient arrays that the next batch
    overwrites; only SGD's and momentum's are linear in the gradient, so only
    they may get ``lr * gradient``. A subclass that overrides ``step`` or
    ``_update`` gets the plain, allocating path.
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


# Rows per block of prediction, where no batch size is given: enough for matrix
# products at full speed on all cores, few enough for the L3 cache.
_PREDICT_ROWS = 2048


def predict_proba(layers, X, mean=None, scale=None):
    """Output of the stack of layers for ``X`` (m, n_in), keeping nothing on the layers.

    With ``mean`` and ``scale`` the layers see ``standardise(X, mean, scale)``.
    Overflow in a badly trained network gives inf or nan here, never a warning.

    Notes
    -----
    Rows go through in blocks of about ``_PREDICT_ROWS``, and every layer
    writes into arrays reused from block to block: full-size temporaries
    would be faulted in page by page, and blocks much smaller would give
    slower matrix products than one big product does.
    """
    m = X.shape[0]
    rows = min(m, _PREDICT_ROWS)
    if mean is not None:
        buf = np.empty((max(rows, 1), X.shape[1]), dtype=np.result_type(X, mean, scale))
    out, scratch = None, [None] * len(layers)
    with np.errstate(all="ignore"):
        for start in range(0, max(m, 1), max(rows, 1)):
            A = X[start:start + rows]
            k = A.shape[0]
            if mean is not None:
                A = standardise_into(A, mean, scale, buf[:k])
            for i, layer in enumerate(layers):
                dtype = np.result_type(A, layer.W, layer.b)
                if scratch[i] is None or scratch[i].dtype != dtype:
                    scratch[i] = np.empty((max(rows, 1), layer.W.shape[1]), dtype=dtype)
                Z = np.matmul(A, layer.W, out=scratch[i][:k])
                Z += layer.b
                if type(layer.activation) is ReLUActivation and layer.activation.a == 1:
                    A = np.maximum(Z, 0, out=Z)
                else:
                    A = layer.activation.function(Z)
            if rows >= m:  # one block: its result is the output
                return A if A.base is None else A.copy()
            if out is None:
                out = np.empty((m, A.shape[1]), dtype=A.dtype)
            out[start:start + k] = A
    return out


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
    mean, scale : ndarray, shape (n_in,), optional
        Train on ``standardise(X, mean, scale)``: each batch is standardised
        as it is gathered, so that no standardised copy of ``X`` exists.

    Notes
    -----
    What makes it fast, without changing the maths of the public API:

    * the gradient ``(P - Y) / m`` of softmax plus cross-entropy enters the
      last layer's linear part directly, skipping the softmax Jacobian;
    * with nnlib's SGD and momentum, ``lr`` rides along with the ``1/m`` on
      that small array, so ``dW`` is ``lr * gradient`` and the update needs
      no extra pass over the weights;
    * gradients (with nnlib's own optimisers), ReLU activations and their
      backward pass, and mini-batches are written into arrays reused from
      batch to batch: a fresh batch- or weight-sized array per step costs
      page faults that rival the matrix product itself;
    * the first layer skips ``dA_prev``, a matrix product nobody uses;
    * batches are standardised as they are gathered, while in cache: doing
      all of ``X`` first costs a full-size copy and more time than all the
      matrix products of an epoch;
    * a full batch larger than a block (``BLOCK_BYTES``) sums its gradient
      over blocks of rows, so its activations are block-sized too (the same
      gradient, summed in another order);
    * small matrix products run on one BLAS thread (see `running`).
    """

    def __init__(self, layers, optimizer, X, Y, batch_size=None, rng=None, mean=None, scale=None):
        self.layers = list(layers)
        self.optimizer = optimizer
        self.X, self.Y = X, Y
        m = X.shape[0]
        self.batch = m if batch_size is None else min(int(batch_size), m)
        if self.batch < m and rng is None:
            raise ValueError("mini-batch training needs an rng to shuffle the batches")
        self.rng = rng
        if (mean is None) != (scale is None):
            raise ValueError("give both mean and scale, or neither")
        self.mean, self.scale = mean, scale
        self.fold_lr, self.reuse = _speed_options(optimizer)
        # Two lists: gradients, and the partial sums of blocked full batches.
        self._grads, self._partial = [(None, None)] * len(self.layers), [(None, None)] * len(self.layers)
        self._scratch = [None] * len(self.layers)
        # The in-place ReLU pair below is nnlib's own maths: only for the
        # exact class with slope 1, and weights of the dtype of the data.
        self._plain_relu = [
            type(layer.activation) is ReLUActivation and layer.activation.a == 1
            and layer.W.dtype == layer.b.dtype == X.dtype and i < len(self.layers) - 1
            for i, layer in enumerate(self.layers)
        ]
        self.block = min(m, block_rows(X.shape[1], X.dtype.itemsize)) if self.batch == m else self.batch
        if self.block < m:
            self._X_buf = np.empty((self.block, X.shape[1]), dtype=X.dtype)
            self._Y_buf = np.empty((self.block, Y.shape[1]), dtype=Y.dtype)
        elif mean is not None:  # one full batch: standardised once for all epochs
            self.X = standardise_into(X, mean, scale, np.empty_like(X))

    @contextlib.contextmanager
    def running(self):
        """Context for calls of `epoch`: BLAS threads and numpy warnings.

        Small matrix products run faster on one BLAS thread than on several
        that must synchronise for every call; big ones keep all threads.
        Floating-point warnings are silenced: divergence shows as a
        non-finite loss, which the caller checks and reports.
        """
        work = self.block * max(layer.W.size for layer in self.layers)
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
        if self.block == m:
            return self._step(X, Y) / m
        if self.batch == m:
            total = 0.0
            for start in range(0, m, self.block):
                xb = X[start:start + self.block]
                if self.mean is not None:
                    xb = standardise_into(xb, self.mean, self.scale, self._X_buf[:xb.shape[0]])
                total += self._gradients(xb, Y[start:start + self.block], m, accumulate=start > 0)
            self._update()
            return total / m
        order = self.rng.permutation(m)
        total = 0.0
        for start in range(0, m, self.batch):
            idx = order[start:start + self.batch]
            k = len(idx)
            # mode="clip" (the indices are valid anyway) lets take write
            # straight into out instead of through a buffer of its own.
            xb = X.take(idx, axis=0, out=self._X_buf[:k], mode="clip")
            if self.mean is not None:
                standardise_into(xb, self.mean, self.scale, xb)
            yb = Y.take(idx, axis=0, out=self._Y_buf[:k], mode="clip")
            total += self._step(xb, yb)
        return total / m

    def _step(self, X, Y):
        """One gradient step on a batch; returns the batch's *summed* loss,
        so that epochs with a short last batch average correctly."""
        loss = self._gradients(X, Y, X.shape[0])
        self._update()
        return loss

    def _gradients(self, X, Y, m, accumulate=False):
        """Set (or, accumulating, add to) every layer's ``dW`` and ``db`` for
        the rows ``X`` of a batch of ``m`` rows; returns their summed loss."""
        layers = self.layers
        A = X
        for i, layer in enumerate(layers):
            A = self._relu_forward(i, layer, A) if self._plain_relu[i] else layer.forward(A)
        loss = -float(np.vdot(Y, _log_clipped(A)))
        dZ = A - Y
        # float() keeps a numpy float64 lr from upcasting a float32 pass.
        dZ *= float(self.optimizer.lr if self.fold_lr else 1.0) / m
        dA = None  # the output layer gets dZ directly
        for i in range(len(layers) - 1, -1, -1):
            layer = layers[i]
            if dA is not None and self._plain_relu[i]:  # ReLU's backward, in place on our dA
                mask = np.greater(layer.Z, 0, out=self._buffers(i, dA.shape[0])[2])
                dZ = np.multiply(dA, mask, out=dA)
            elif dA is not None:
                dZ = layer.activation.backward(dA)
            if accumulate:
                dW, db = self._partial[i]
                if dW is None or dW.dtype != dZ.dtype:
                    dW, db = self._partial[i] = np.empty_like(layer.dW), np.empty_like(layer.db)
                layer.dW += np.matmul(layer.A_prev.T, dZ, out=dW)
                layer.db += dZ.sum(axis=0, keepdims=True, out=db)
            else:
                dW, db = self._grads[i]
                if not (self.reuse and dW is not None and dW.dtype == dZ.dtype == layer.A_prev.dtype):
                    dW = db = None
                layer.dW = np.matmul(layer.A_prev.T, dZ, out=dW)
                layer.db = dZ.sum(axis=0, keepdims=True, out=db)
                if self.reuse:
                    self._grads[i] = (layer.dW, layer.db)
            if i == 0:
                dA = None
            elif self._plain_relu[i - 1]:  # the layer below takes dA in place
                dA = np.matmul(dZ, layer.W.T, out=self._buffers(i - 1, dZ.shape[0])[3])
            else:
                dA = dZ @ layer.W.T
        return loss

    def _buffers(self, i, k):
        """(Z, A, mask, dA) scratch arrays of hidden layer i for a batch of k rows."""
        bufs = self._scratch[i]
        if bufs is None or bufs[0].shape[0] < k:
            W = self.layers[i].W
            shape = (max(k, self.block), W.shape[1])
            bufs = self._scratch[i] = (np.empty(shape, W.dtype), np.empty(shape, W.dtype),
                                       np.empty(shape, bool), np.empty(shape, W.dtype))
        return tuple(buf[:k] for buf in bufs)

    def _relu_forward(self, i, layer, A):
        """`LinearLayer.forward` with ReLU (caching the same) into layer i's scratch arrays."""
        Z, out, _, _ = self._buffers(i, A.shape[0])
        np.matmul(A, layer.W, out=Z)
        Z += layer.b
        layer.A_prev = A
        layer.Z = layer.activation.Z = Z
        return np.maximum(Z, 0, out=out)

    def _update(self):
        """The optimiser's step on the gradients of `_gradients`."""
        if self.fold_lr:
            self.optimizer.step(self.layers, lr_applied=True)
        else:
            self.optimizer.step(self.layers)

    def finish(self):
        """Leave the layers as a fitted model: no batch, no gradients, no scratch arrays.

        The gradients may carry the factor lr (see the Notes), so they are
        not part of the model.
        """
        for layer in self.layers:
            _forget_batch(layer)
            layer.dW = layer.db = None
        # Two lists: gradients, and the partial sums of blocked full batches.
        self._grads, self._partial = [(None, None)] * len(self.layers), [(None, None)] * len(self.layers)
        self._scratch = [None] * len(self.layers)
        self.optimizer.release_buffers()
