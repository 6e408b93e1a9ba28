"""Activation functions as forward/backward pairs, written as notebook 03 teaches them.

Every activation works element-wise on a batch ``Z`` of shape ``(m, n)``
(samples are rows), except softmax, which normalises each row.

``forward(Z)`` returns ``A = f(Z)`` and keeps what ``backward`` needs: the
input as ``self.Z`` when the derivative is written with ``Z`` (ReLU, leaky
ReLU), the output as ``self.A`` when it is written with ``A`` (sigmoid, tanh,
softmax). ``backward(dA)`` returns ``dZ = dL/dZ`` by the chain rule, i.e.
``dA * f'(Z)`` (for softmax, the Jacobian-vector product of each row).
``function(Z)`` and ``derivative(Z)`` are the pure maths, with nothing kept,
for plotting and inference.
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
    """Base class of the activations.

    A subclass implements ``function`` and ``derivative`` and a
    ``forward``/``backward`` pair. The pair given here suits an element-wise
    activation whose derivative is written with ``Z``: `forward` keeps
    ``self.Z`` and `backward` returns ``dA * derivative(self.Z)``.

    Attributes
    ----------
    Z : ndarray or None
        The input of the last `forward` (None before the first).
    """

    Z = None

    def function(self, Z):
        raise NotImplementedError

    def derivative(self, Z):
        raise NotImplementedError

    def forward(self, Z):
        """Apply the activation to `Z`, keeping ``self.Z`` for `backward`.

        Parameters
        ----------
        Z : array_like, shape (m, n)
            Pre-activations. float32 stays float32; integers become float64.

        Returns
        -------
        A : ndarray, shape (m, n)
        """
        self.Z = as_float_array(Z, "Z")
        return self.function(self.Z)

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
        dA = self._checked(dA, self.Z)
        return dA * self.derivative(self.Z)

    def _checked(self, dA, kept):
        """`dA` as an array of `kept`'s dtype, once `forward` has run and the shapes match."""
        if kept is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() called before forward(): "
                "run forward(Z) first so the activation knows Z"
            )
        if np.shape(dA) != kept.shape:
            raise ValueError(
                f"dA has shape {np.shape(dA)} but forward() saw an input of shape "
                f"{kept.shape}; they must match"
            )
        return np.asarray(dA, dtype=kept.dtype)

    def _params(self):
        return {}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"


class IdentityActivation(Activation):
    r"""Identity, :math:`f(z) = z`.

    Notes
    -----
    :math:`f'(z) = 1`, so ``backward`` passes ``dA`` through unchanged. The
    maths needs nothing from `forward`; ``self.Z`` is kept only so that
    `backward` can refuse a ``dA`` of the wrong shape.
    """

    def function(self, Z):
        return Z

    def derivative(self, Z):
        return np.ones_like(Z)

    def backward(self, dA):
        return self._checked(dA, self.Z)


class LinearActivation(Activation):
    r"""Linear activation, :math:`f(z) = a z`.

    Parameters
    ----------
    a : float, default 1.0
        Slope.

    Notes
    -----
    :math:`f'(z) = a`; ``self.Z`` is kept only for the shape check.
    """

    def __init__(self, a=1.0):
        self.a = a

    def function(self, Z):
        return self.a * Z

    def derivative(self, Z):
        return np.full_like(Z, self.a)

    def backward(self, dA):
        return self.a * self._checked(dA, self.Z)

    def _params(self):
        return {"a": self.a}


class SigmoidActivation(Activation):
    r"""Logistic sigmoid, :math:`\sigma(z) = 1 / (1 + e^{-z})`.

    Computed as :math:`e^{-|z|}`-based branches so that no exponential ever
    overflows: inputs of ±1e4 give exactly 0 and 1 without warnings.

    Notes
    -----
    :math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`, so `forward` keeps the
    output ``self.A`` and `backward` uses it instead of recomputing it.
    """

    A = None

    def function(self, Z):
        E = np.exp(-np.abs(Z))  # in (0, 1]: never overflows
        return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E)).astype(Z.dtype, copy=False)

    def derivative(self, Z):
        A = self.function(Z)
        return A * (1.0 - A)

    def forward(self, Z):
        self.A = self.function(as_float_array(Z, "Z"))
        return self.A

    def backward(self, dA):
        dA = self._checked(dA, self.A)
        return dA * self.A * (1.0 - self.A)


class TanhActivation(Activation):
    r"""Hyperbolic tangent, :math:`\tanh(z)`.

    Notes
    -----
    :math:`\tanh'(z) = 1 - \tanh^2(z)`, computed from the output ``self.A``
    that `forward` keeps.
    """

    A = None

    def function(self, Z):
        return np.tanh(Z)

    def derivative(self, Z):
        return 1.0 - np.tanh(Z) ** 2

    def forward(self, Z):
        self.A = np.tanh(as_float_array(Z, "Z"))
        return self.A

    def backward(self, dA):
        dA = self._checked(dA, self.A)
        return dA * (1.0 - self.A * self.A)


class BinaryStepActivation(Activation):
    r"""Binary step: 0 where :math:`z \le` ``thresh``, else 1.

    Parameters
    ----------
    thresh : float, default 0.0

    Notes
    -----
    The derivative is 0 everywhere (undefined at the threshold, taken as 0),
    so no gradient flows back: a network of steps cannot be trained by
    gradient descent. ``self.Z`` is kept only for the shape check.
    """

    def __init__(self, thresh=0.0):
        self.thresh = thresh

    def function(self, Z):
        return (Z > self.thresh).astype(Z.dtype)

    def derivative(self, Z):
        return np.zeros_like(Z)

    def backward(self, dA):
        return np.zeros_like(self._checked(dA, self.Z))

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
    by convention): a step read off the input ``self.Z`` that `forward` keeps.
    """

    def __init__(self, a=1.0):
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

    def backward(self, dA):
        dZ = self._checked(dA, self.Z) * (self.Z > 0)
        if self.a != 1.0:
            dZ *= self.a  # in place: the mask product above is already a new array
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
    :math:`f'(z) = a` for :math:`z > 0` and :math:`b` otherwise, read off the
    input ``self.Z`` that `forward` keeps (the base class's pair).
    """

    def __init__(self, a=1.0, b=0.01):
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
    a_i(\delta_{ij} - a_j)`, so `backward` returns the Jacobian-vector
    product :math:`dZ = A \odot (dA - \mathrm{rowsum}(dA \odot A))` from the
    output ``self.A`` that `forward` keeps. ``derivative`` gives only the
    diagonal :math:`a_i (1 - a_i)`, for plots.
    """

    A = None

    def function(self, Z):
        E = np.exp(Z - Z.max(axis=-1, keepdims=True))
        return E / E.sum(axis=-1, keepdims=True)

    def derivative(self, Z):
        # Only the Jacobian's diagonal, da_i/dz_i = a_i - a_i^2: what a plot of f'(z) can show.
        A = self.function(Z)
        return A - A * A

    def forward(self, Z):
        self.A = self.function(as_float_array(Z, "Z"))
        return self.A

    def backward(self, dA):
        dA = self._checked(dA, self.A)
        return self.A * (dA - (dA * self.A).sum(axis=-1, keepdims=True))


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
