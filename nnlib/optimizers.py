"""Parameter updates: plain SGD, SGD with momentum, and Adam.

An optimiser updates the ``W`` and ``b`` of a list of layers in place from
their gradients ``dW`` and ``db`` (set by the last backward pass). Its state
(velocities, moments) lives in the optimiser, one slot per parameter.
"""
import numpy as np

__all__ = ["sgd_step", "Optimizer", "SGD", "Momentum", "Adam", "OPTIMIZERS"]


def sgd_step(layer, lr):
    """One plain gradient-descent step on a single layer, in place.

    ``W -= lr * dW`` and ``b -= lr * db``; the arrays keep their identity.
    """
    if layer.dW is None or layer.db is None:
        raise RuntimeError("sgd_step() needs gradients: run the layer's backward() first")
    layer.W -= lr * layer.dW
    layer.b -= lr * layer.db


def _check_lr(lr):
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.floating)) or not lr > 0:
        raise ValueError(f"lr must be a positive number, got {lr!r}")


class Optimizer:
    """Base class. Subclasses implement ``_update(param, grad, slot)`` (and
    take ``lr_applied=False`` as well if they set `lr_foldable`).

    Updates run in place and write intermediate products into per-parameter
    scratch arrays kept between steps: a fresh temporary as large as a
    weight matrix on every mini-batch costs page faults comparable to the
    matrix product that made the gradient.
    """

    #: True when the update is linear in the gradient (plain SGD, momentum):
    #: then ``step(layers, lr_applied=True)`` accepts gradients that already
    #: include the factor ``lr``. `NeuralNet.fit` does this for nnlib's own SGD
    #: and momentum updates (not for subclasses that replace them): it puts
    #: ``lr`` into the small output-layer gradient once, which saves a pass over
    #: every weight matrix per step.
    lr_foldable = False

    def __init__(self, lr):
        self.lr = lr

    def reset(self):
        """Forget all state (velocities, moments, step count)."""
        self.state_ = None
        self._buffers = {}

    def release_buffers(self):
        """Drop the scratch arrays (they are remade on the next step)."""
        self._buffers = {}

    def step(self, layers, lr_applied=False):
        """Update every layer's ``W`` and ``b`` in place.

        With ``lr_applied=True`` (only if `lr_foldable`), ``dW`` and ``db``
        are taken to be ``lr`` times the gradient already.
        """
        if lr_applied and not self.lr_foldable:
            raise ValueError(f"{type(self).__name__} needs the plain gradient: its update is not linear in it")
        if getattr(self, "state_", None) is None:
            _check_lr(self.lr)
            self.state_ = {}
            self.t_ = 0
        self.t_ += 1
        for i, layer in enumerate(layers):
            if layer.dW is None:
                raise RuntimeError(f"layer {i} has no gradients: run backward() before step()")
            if lr_applied:
                self._update(layer.W, layer.dW, (i, "W"), lr_applied=True)
                self._update(layer.b, layer.db, (i, "b"), lr_applied=True)
            else:  # the plain call: a subclass's _update(param, grad, slot) needs no more
                self._update(layer.W, layer.dW, (i, "W"))
                self._update(layer.b, layer.db, (i, "b"))

    def _scratch(self, slot, p, n=1):
        """``n`` reusable arrays shaped like ``p`` for this parameter slot."""
        if not hasattr(self, "_buffers"):
            self._buffers = {}
        bufs = self._buffers.get(slot)
        if bufs is None or bufs[0].shape != p.shape or bufs[0].dtype != p.dtype:
            bufs = self._buffers[slot] = tuple(np.empty_like(p) for _ in range(n))
        return bufs

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.endswith("_") and not k.startswith("_"))
        return f"{type(self).__name__}({params})"


class SGD(Optimizer):
    """Plain gradient descent: ``p -= lr * g``."""

    lr_foldable = True

    def __init__(self, lr=0.1):
        super().__init__(lr)

    def _update(self, p, g, slot, lr_applied=False):
        if lr_applied:
            p -= g
            return
        (step,) = self._scratch(slot, p)
        np.multiply(g, self.lr, out=step, casting="same_kind")
        p -= step


class Momentum(Optimizer):
    """SGD with (heavy-ball) momentum: ``v = mu * v - lr * g; p += v``."""

    lr_foldable = True

    def __init__(self, lr=0.1, momentum=0.9):
        super().__init__(lr)
        self.momentum = momentum

    def _update(self, p, g, slot, lr_applied=False):
        v = self.state_.get(slot)
        if v is None:
            v = self.state_[slot] = np.zeros_like(p)
        v *= self.momentum
        if lr_applied:
            v -= g
        else:
            (step,) = self._scratch(slot, p)
            np.multiply(g, self.lr, out=step, casting="same_kind")
            v -= step
        p += v


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015) with bias-corrected moment estimates.

    Notes
    -----
    :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`,
    :math:`v \leftarrow \beta_2 v + (1-\beta_2) g^2`,
    :math:`p \leftarrow p - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)`.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
        super().__init__(lr)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon

    def _update(self, p, g, slot, lr_applied=False):
        mv = self.state_.get(slot)
        if mv is None:
            mv = self.state_[slot] = (np.zeros_like(p), np.zeros_like(p))
        m, v = mv
        tmp, step = self._scratch(slot, p, 2)
        m *= self.beta1
        np.multiply(g, 1.0 - self.beta1, out=tmp, casting="same_kind")
        m += tmp
        v *= self.beta2
        np.multiply(g, g, out=tmp, casting="same_kind")
        tmp *= 1.0 - self.beta2
        v += tmp
        m_hat_scale = 1.0 / (1.0 - self.beta1 ** self.t_)
        v_hat_scale = 1.0 / (1.0 - self.beta2 ** self.t_)
        # step = lr * m_hat / (sqrt(v_hat) + eps), built in the scratch arrays
        np.multiply(v, v_hat_scale, out=tmp)
        np.sqrt(tmp, out=tmp)
        tmp += self.epsilon
        np.multiply(m, self.lr * m_hat_scale, out=step)
        step /= tmp
        p -= step


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}
