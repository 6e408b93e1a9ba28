"""The fully connected (linear) layer and its forward/backward pair.

Conventions (see docs/contract.md): samples are rows, ``X`` is ``(m, n_in)``,
``W`` is ``(n_in, n_out)``, ``b`` is ``(1, n_out)`` and ``Z = X @ W + b``.
The loss is a batch *mean*, so the ``1/m`` is already inside the gradient
that reaches a layer, and the layer computes the exact derivative.
"""
import numpy as np

from ._validation import as_float_array
from .activations import Activation, IdentityActivation

__all__ = ["add_bias_column", "linear_forward", "linear_backward", "LinearLayer"]


def add_bias_column(X):
    """Prepend a column of ones to `X` (the bias trick).

    Parameters
    ----------
    X : array_like, shape (m, n)

    Returns
    -------
    ndarray, shape (m, n + 1)
        A new array whose first column is ones; `X` is not modified.

    Notes
    -----
    With ``W_aug = np.vstack([b, W])``, ``add_bias_column(X) @ W_aug`` equals
    ``X @ W + b``.
    """
    X = as_float_array(X, "X", ndim=2)
    out = np.empty((X.shape[0], X.shape[1] + 1), dtype=X.dtype)
    out[:, 0] = 1.0
    out[:, 1:] = X
    return out


def _check_linear_shapes(X, W, b):
    if W.ndim != 2:
        raise ValueError(f"W must be 2-D (n_in, n_out), got shape {W.shape}")
    if X.shape[1] != W.shape[0]:
        raise ValueError(
            f"X has {X.shape[1]} features (shape {X.shape}) but W expects {W.shape[0]} "
            f"(shape {W.shape}); samples are rows, so W must be (n_in, n_out)"
        )
    if b.shape != (1, W.shape[1]):
        raise ValueError(f"b must have shape (1, {W.shape[1]}), got {b.shape}")


def linear_forward(X, W, b):
    """Affine map of a batch: ``Z = X @ W + b``.

    Parameters
    ----------
    X : array_like, shape (m, n_in)
    W : array_like, shape (n_in, n_out)
    b : array_like, shape (1, n_out)

    Returns
    -------
    Z : ndarray, shape (m, n_out)
    """
    X = as_float_array(X, "X", ndim=2)
    W = as_float_array(W, "W")
    b = as_float_array(b, "b")
    _check_linear_shapes(X, W, b)
    return X @ W + b


def linear_backward(layer, dA):
    """Backward pass of a layer whose `forward` has run.

    Sets ``layer.dW`` and ``layer.db`` and returns the gradient for the
    previous layer. `LinearLayer.backward` is this function.

    Parameters
    ----------
    layer : LinearLayer or any object with the same attributes
        Must hold ``W`` and ``activation``, and ``A_prev`` (its input) from
        the forward pass.
    dA : array_like, shape (m, n_out)
        Gradient of the loss with respect to the layer's output.

    Returns
    -------
    dA_prev : ndarray, shape (m, n_in)

    Notes
    -----
    ``dZ = activation.backward(dA)``, ``dW = A_prev.T @ dZ``,
    ``db = dZ.sum(axis=0, keepdims=True)``, ``dA_prev = dZ @ W.T``.
    No ``1/m`` here: the mean loss already put it into ``dA``.
    """
    A_prev = getattr(layer, "A_prev", None)
    if A_prev is None:
        raise RuntimeError("backward() called before forward(): the layer has no cached input A_prev")
    dZ = layer.activation.backward(dA)
    expected = (A_prev.shape[0], layer.W.shape[1])
    # The activation may be a learner's and check nothing itself.
    if np.shape(dZ) != expected:
        raise ValueError(f"gradient has shape {np.shape(dZ)}, expected {expected} (batch size, output_size)")
    layer.dW = A_prev.T @ dZ
    layer.db = dZ.sum(axis=0, keepdims=True)
    return dZ @ layer.W.T


class LinearLayer:
    """Fully connected layer ``A = activation(X @ W + b)``.

    Parameters
    ----------
    input_size, output_size : int
        Number of input features ``n_in`` and units ``n_out``.
    activation : Activation, optional
        Defaults to `IdentityActivation`.
    rng : numpy.random.Generator or int, optional
        Source of the initial weights; an int seeds a new generator.

    Attributes
    ----------
    W : ndarray, shape (n_in, n_out)
        ``rng.standard_normal((n_in, n_out)) * 0.1``.
    b : ndarray, shape (1, n_out)
        Zeros.
    A_prev, Z : ndarray or None
        Input and pre-activation of the last `forward`, as notebook 02
        teaches. `backward` reads ``A_prev``; what the activation's backward
        needs (``Z`` or its output ``A``) the activation keeps itself.
    dW, db : ndarray or None
        Gradients from the last `backward`.
    """

    def __init__(self, input_size, output_size, activation=None, rng=None):
        for name, value in (("input_size", input_size), ("output_size", output_size)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"{name} must be an int, got {type(value).__name__}")
            if value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")
        if activation is None:
            activation = IdentityActivation()
        if not isinstance(activation, Activation) and not (
            hasattr(activation, "forward") and hasattr(activation, "backward")
        ):
            raise TypeError(
                f"activation must be an activation object with forward and backward "
                f"(e.g. ReLUActivation()), got {activation!r}"
            )
        self.activation = activation
        self.init_params(int(input_size), int(output_size), rng)

    def init_params(self, input_size=None, output_size=None, rng=None, scale=0.1):
        """(Re)draw ``W`` from ``rng.standard_normal * scale`` and zero ``b``."""
        if input_size is None:
            input_size, output_size = self.W.shape
        rng = np.random.default_rng(rng)
        self.W = rng.standard_normal((input_size, output_size)) * scale
        self.b = np.zeros((1, output_size))
        self.A_prev = self.Z = self.dW = self.db = None

    @property
    def input_size(self):
        return self.W.shape[0]

    @property
    def output_size(self):
        return self.W.shape[1]

    def forward(self, X):
        """Compute ``activation(X @ W + b)`` and cache ``A_prev`` and ``Z``.

        Parameters
        ----------
        X : array_like, shape (m, n_in)

        Returns
        -------
        A : ndarray, shape (m, n_out)
        """
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.W.shape[0]:
            raise ValueError(
                f"X has {X.shape[1]} features but this layer expects {self.W.shape[0]} "
                f"(X shape {X.shape}, W shape {self.W.shape})"
            )
        Z = X @ self.W
        Z += self.b
        self.A_prev = X
        self.Z = Z
        return self.activation.forward(Z)

    def predict(self, X):
        """Like `forward`, without caching anything (for inference)."""
        Z = X @ self.W
        Z += self.b
        return self.activation.function(Z)

    def backward(self, dA):
        """Same as ``linear_backward(self, dA)``: sets `dW`, `db`, returns ``dA_prev``."""
        return linear_backward(self, dA)

    def __repr__(self):
        return f"LinearLayer({self.input_size}, {self.output_size}, activation={self.activation!r})"
