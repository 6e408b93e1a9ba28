"""Activation functions as forward/backward pairs.

Every activation works element-wise on a batch ``Z`` of shape ``(m, n)``
(samples are rows), except softmax, which normalises each row.

``forward(Z)`` returns ``A = f(Z)`` and caches what ``backward`` needs;
``backward(dA)`` returns ``dZ = dL/dZ`` by the chain rule, i.e.
``dA * f'(Z)`` (for softmax, the Jacobian-vector product of each row).
``function(Z)`` and ``derivative(Z)`` are the pure maths, with no cache, for
plotting and inference.
"""
import numpy as np

from ._validation import as_float_array

__all__ = [
    "Activation",
    "IdentityActivation",
    "LinearActivation",
    "SigmoidActivation",
    "TanhActivation",
    "BinaryStepActivation",
    "ReLUActivation",
    "LeakyReLUActivation",
    "SoftMaxActivation",
    "ACTIVATIONS",
]


class Activation:
    """Base class: subclasses implement ``function``, ``derivative`` and say
    in ``_cache_name`` whether ``backward`` needs ``"Z"`` or ``"A"``."""

    _cache_name = "Z"

    def __init__(self):
        self.cache = None

    def function(self, Z):
        raise NotImplementedError

    def derivative(self, Z):
        raise NotImplementedError

    def forward(self, Z):
        """Apply the activation to `Z` and cache what `backward` needs.

        Parameters
        ----------
        Z : array_like, shape (m, n)
            Pre-activations. float32 stays float32; integers become float64.

        Returns
        -------
        A : ndarray, shape (m, n)
        """
        Z = as_float_array(Z, "Z")
        A = self.function(Z)
        self.cache = Z if self._cache_name == "Z" else A
        return A

    def backward(self, dA):
        """Chain rule through the activation.

        Parameters
        ----------
        dA : array_like, shape (m, n)
            Gradient of the loss with respect to this activation's output.

        Returns
        -------
        dZ : ndarray, shape (m, n)
            Gradient of the loss with respect to the input ``Z``.
        """
        cache = self._checked_cache(dA)
        return self._backward(np.asarray(dA, dtype=cache.dtype), cache)

    def _checked_cache(self, dA):
        if self.cache is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() called before forward(): "
                "run forward(Z) first so the activation knows Z"
            )
        if np.shape(dA) != self.cache.shape:
            raise ValueError(
                f"dA has shape {np.shape(dA)} but forward() saw an input of shape "
                f"{self.cache.shape}; they must match"
            )
        return self.cache

    def _backward(self, dA, cache):
        # Element-wise activations: dZ = dA * f'(Z).
        return dA * self.derivative(cache)

    def _params(self):
        return {}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"


class IdentityActivation(Activation):
    r"""Identity, :math:`f(z) = z`.

    Notes
    -----
    :math:`f'(z) = 1`, so ``backward`` passes ``dA`` through unchanged.
    """

    def function(self, Z):
        return Z

    def derivative(self, Z):
        return np.ones_like(Z)

    def _backward(self, dA, cache):
        return dA


class LinearActivation(Activation):
    r"""Linear activation, :math:`f(z) = a z`.

    Parameters
    ----------
    a : float, default 1.0
        Slope.

    Notes
    -----
    :math:`f'(z) = a`.
    """

    def __init__(self, a=1.0):
        super().__init__()
        self.a = a

    def function(self, Z):
        return self.a * Z

    def derivative(self, Z):
        return np.full_like(Z, self.a)

    def _backward(self, dA, cache):
        return self.a * dA

    def _params(self):
        return {"a": self.a}


class SigmoidActivation(Activation):
    r"""Logistic sigmoid, :math:`\sigma(z) = 1 / (1 + e^{-z})`.

    Computed as :math:`e^{-|z|}`-based branches so that no exponential ever
    overflows: inputs of ±1e4 give exactly 0 and 1 without warnings.

    Notes
    -----
    :math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`, so ``backward`` uses the
    cached output ``A`` rather than ``Z``.
    """

    _cache_name = "A"

    def function(self, Z):
        E = np.exp(-np.abs(Z))  # in (0, 1]: never overflows
        return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E)).astype(Z.dtype, copy=False)

    def derivative(self, Z):
        A = self.function(Z)
        return A * (1.0 - A)

    def _backward(self, dA, A):
        return dA * A * (1.0 - A)


class TanhActivation(Activation):
    r"""Hyperbolic tangent, :math:`\tanh(z)`.

    Notes
    -----
    :math:`\tanh'(z) = 1 - \tanh^2(z)`, computed from the cached output ``A``.
    """

    _cache_name = "A"

    def function(self, Z):
        return np.tanh(Z)

    def derivative(self, Z):
        return 1.0 - np.tanh(Z) ** 2

    def _backward(self, dA, A):
        return dA * (1.0 - A * A)


class BinaryStepActivation(Activation):
    r"""Binary step: 0 where :math:`z \le` ``thresh``, else 1.

    Parameters
    ----------
    thresh : float, default 0.0

    Notes
    -----
    The derivative is 0 everywhere (undefined at the threshold, taken as 0),
    so no gradient flows back: a network of steps cannot be trained by
    gradient descent.
    """

    def __init__(self, thresh=0.0):
        super().__init__()
        self.thresh = thresh

    def function(self, Z):
        return (Z > self.thresh).astype(Z.dtype)

    def derivative(self, Z):
        return np.zeros_like(Z)

    def _backward(self, dA, cache):
        return np.zeros_like(dA)

    def _params(self):
        return {"thresh": self.thresh}


class ReLUActivation(Activation):
    r"""Rectified linear unit: 0 where :math:`z \le 0`, else :math:`a z`.

    Parameters
    ----------
    a : float, default 1.0
        Slope of the positive part.

    Notes
    -----
    :math:`f'(z) = a` for :math:`z > 0` and 0 otherwise (0 at :math:`z = 0`
    by convention). The derivative is a step, not the function itself.
    """

    def __init__(self, a=1.0):
        super().__init__()
        self.a = a

    def function(self, Z):
        if self.a >= 0:
            # One pass instead of a mask, a product and a select.
            A = np.maximum(Z, 0)
            if self.a != 1:
                A *= self.a
            return A
        return np.where(Z > 0, self.a * Z, 0.0).astype(Z.dtype, copy=False)

    def derivative(self, Z):
        return np.where(Z > 0, self.a, 0.0).astype(Z.dtype, copy=False)

    def _backward(self, dA, Z):
        dZ = dA * (Z > 0)
        if self.a != 1.0:
            dZ *= self.a
        return dZ

    def _params(self):
        return {"a": self.a}


class LeakyReLUActivation(Activation):
    r"""Leaky ReLU: :math:`b z` where :math:`z \le 0`, else :math:`a z`.

    Parameters
    ----------
    a : float, default 1.0
        Slope for positive inputs.
    b : float, default 0.01
        Slope for non-positive inputs (the "leak").

    Notes
    -----
    :math:`f'(z) = a` for :math:`z > 0` and :math:`b` otherwise.
    """

    def __init__(self, a=1.0, b=0.01):
        super().__init__()
        self.a = a
        self.b = b

    def function(self, Z):
        return np.where(Z > 0, self.a * Z, self.b * Z).astype(Z.dtype, copy=False)

    def derivative(self, Z):
        return np.where(Z > 0, self.a, self.b).astype(Z.dtype, copy=False)

    def _params(self):
        return {"a": self.a, "b": self.b}


class SoftMaxActivation(Activation):
    r"""Softmax over each row: :math:`a_i = e^{z_i} / \sum_j e^{z_j}`.

    The row maximum is subtracted before exponentiating; this leaves the
    result unchanged and keeps every exponent :math:`\le 0`, so inputs of
    1e4 do not overflow.

    Notes
    -----
    The Jacobian of one row is :math:`\partial a_i / \partial z_j =
    a_i(\delta_{ij} - a_j)`, so ``backward`` returns the Jacobian-vector
    product :math:`dZ = A \odot (dA - \mathrm{rowsum}(dA \odot A))`.
    ``derivative`` gives only the diagonal :math:`a_i (1 - a_i)`, for plots.
    """

    _cache_name = "A"

    def function(self, Z):
        E = np.exp(Z - Z.max(axis=-1, keepdims=True))
        return E / E.sum(axis=-1, keepdims=True)

    def derivative(self, Z):
        A = self.function(Z)
        return A * (1.0 - A)

    def _backward(self, dA, A):
        return A * (dA - (dA * A).sum(axis=-1, keepdims=True))


ACTIVATIONS = {
    "identity": IdentityActivation,
    "linear": LinearActivation,
    "sigmoid": SigmoidActivation,
    "tanh": TanhActivation,
    "step": BinaryStepActivation,
    "relu": ReLUActivation,
    "leaky_relu": LeakyReLUActivation,
    "softmax": SoftMaxActivation,
}
