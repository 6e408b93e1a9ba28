"""Parameter updates: plain SGD, SGD with momentum, and Adam.

An optimiser updates the ``W`` and ``b`` of a list of layers in place from
their gradients ``dW`` and ``db`` (set by the last backward pass). Its state
(velocities, moments) lives in the optimiser, one slot per parameter.
"""
import numpy as np

_AXPY = {}


def _axpy(dtype):
    """BLAS in-place ``y += a * x`` for float64/float32, or None. scipy.linalg
    is imported on first use, not with nnlib, since it takes a while."""
    if not _AXPY:
        from scipy.linalg.blas import daxpy, saxpy

        _AXPY.update({np.float64: daxpy, np.float32: saxpy})
    return _AXPY.get(dtype.type)

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
    """Base class. Subclasses implement ``_update(param, grad, slot)``."""

    def __init__(self, lr):
        self.lr = lr

    def reset(self):
        """Forget all state (velocities, moments, step count)."""
        self.state_ = None

    def step(self, layers):
        """Update every layer's ``W`` and ``b`` in place."""
        if getattr(self, "state_", None) is None:
            _check_lr(self.lr)
            self.state_ = {}
            self.t_ = 0
        self.t_ += 1
        for i, layer in enumerate(layers):
            if layer.dW is None:
                raise RuntimeError(f"layer {i} has no gradients: run backward() before step()")
            self._update(layer.W, layer.dW, (i, "W"))
            self._update(layer.b, layer.db, (i, "b"))

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.endswith("_"))
        return f"{type(self).__name__}({params})"


class SGD(Optimizer):
    """Plain gradient descent: ``p -= lr * g``."""

    def __init__(self, lr=0.1):
        super().__init__(lr)

    def _update(self, p, g, slot):
        axpy = _axpy(p.dtype)
        if axpy is not None and g.dtype == p.dtype and p.flags.c_contiguous and g.flags.c_contiguous:
            # BLAS axpy updates p in one pass over memory; ``p -= lr * g``
            # would first write lr * g to a temporary array and read it back.
            axpy(g.reshape(-1), p.reshape(-1), a=-self.lr)
        else:
            p -= self.lr * g


class Momentum(Optimizer):
    """SGD with (heavy-ball) momentum: ``v = mu * v - lr * g; p += v``."""

    def __init__(self, lr=0.1, momentum=0.9):
        super().__init__(lr)
        self.momentum = momentum

    def _update(self, p, g, slot):
        v = self.state_.get(slot)
        if v is None:
            v = self.state_[slot] = np.zeros_like(p)
        v *= self.momentum
        v -= self.lr * g
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

    def _update(self, p, g, slot):
        mv = self.state_.get(slot)
        if mv is None:
            mv = self.state_[slot] = (np.zeros_like(p), np.zeros_like(p))
        m, v = mv
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * (g * g)
        m_hat_scale = 1.0 / (1.0 - self.beta1 ** self.t_)
        v_hat_scale = 1.0 / (1.0 - self.beta2 ** self.t_)
        p -= self.lr * m_hat_scale * m / (np.sqrt(v * v_hat_scale) + self.epsilon)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}
