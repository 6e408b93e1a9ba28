"""Known wrong answers of 03_activations: each activation's forward and backward."""
import numpy as np

from ._common import collect, quiet, as_float, sigmoid_of, softmax_of

__all__ = [
    "identity_backward", "linear_activation", "linear_activation_backward", "sigmoid",
    "sigmoid_backward", "tanh", "tanh_backward", "step", "step_backward", "relu",
    "relu_backward", "leaky_relu", "leaky_relu_backward", "softmax", "softmax_backward",
    "bounded_0_1_activation",
]


_TIMES_F = ("That multiplies dA by the activation itself, not by its derivative (the "
            "original lesson's ReLU bug).")
_F_PRIME_ONLY = "Multiply by dA: backward returns dA * f'(Z), not f'(Z) alone."
_DA_ONLY = "backward returned dA unchanged: it must multiply dA by the derivative f'(Z)."


@quiet
def identity_backward(Z, dA):
    """Wrong gradients of the identity activation."""
    Z, dA = as_float(Z), as_float(dA)
    return collect((lambda: np.ones_like(dA), _F_PRIME_ONLY),
                    (lambda: dA * Z, _TIMES_F),
                    (lambda: Z, "backward returns dA * f'(Z) = dA, not Z."))


@quiet
def linear_activation(Z, a):
    """Wrong outputs of ``f(z) = a * z``."""
    Z = as_float(Z)
    return collect((lambda: Z, "Multiply by the slope self.a."),
                    (lambda: Z + a, "The slope multiplies z: a * z, not z + a."),
                    (lambda: np.full_like(Z, a), "forward returns a * Z, not a alone."))


@quiet
def linear_activation_backward(Z, dA, a):
    """Wrong gradients of ``f(z) = a * z``."""
    Z, dA = as_float(Z), as_float(dA)
    return collect((lambda: dA, "Multiply dA by the slope self.a: f'(z) = a."),
                    (lambda: np.full_like(dA, a), _F_PRIME_ONLY),
                    (lambda: dA * a * Z, _TIMES_F),
                    (lambda: dA * a * a, "The slope a was applied twice; f'(z) = a."))


@quiet
def sigmoid(Z):
    """Wrong sigmoid outputs."""
    Z = as_float(Z)
    return collect(
        (lambda: 1 / (1 + np.exp(Z)), "The sign of the exponent: sigmoid(z) = 1 / (1 + exp(-z))."),
        (lambda: 1 / (1 - np.exp(-Z)), "The denominator is 1 + exp(-z), not 1 - exp(-z)."),
        (lambda: np.exp(-Z) / (1 + np.exp(-Z)),
         "That is 1 - sigmoid(z) = sigmoid(-z): the numerator is 1 (or exp(z) over 1 + exp(z))."),
        (lambda: np.tanh(Z), "That is tanh; sigmoid is 1 / (1 + exp(-z)), with outputs in (0, 1)."),
    )


@quiet
def sigmoid_backward(Z, dA):
    """Wrong sigmoid gradients for the forward input ``Z``."""
    Z, dA = as_float(Z), as_float(dA)
    S = sigmoid_of(Z)
    return collect(
        (lambda: dA * S, "The factor (1 - A) is missing: sigmoid'(z) = A * (1 - A)."),
        (lambda: dA * (1 - S), "The factor A is missing: sigmoid'(z) = A * (1 - A)."),
        (lambda: S * (1 - S), _F_PRIME_ONLY),
        (lambda: dA * Z * (1 - Z),
         "The derivative was computed from Z; it needs the output A = sigmoid(Z): A * (1 - A)."),
        (lambda: dA * sigmoid_of(S) * (1 - sigmoid_of(S)),
         "sigmoid was applied twice: the cached A already is sigmoid(Z); use A * (1 - A)."),
        (lambda: dA * S * (1 + S), "sigmoid'(z) = A * (1 - A): a minus, not a plus."),
        (lambda: dA, _DA_ONLY),
    )


@quiet
def tanh(Z):
    """Wrong tanh outputs."""
    Z = as_float(Z)
    return collect((lambda: sigmoid_of(Z), "That is sigmoid; use np.tanh(Z)."),
                    (lambda: 2 * sigmoid_of(Z), "tanh(z) = 2 * sigmoid(2z) - 1."))


@quiet
def tanh_backward(Z, dA):
    """Wrong tanh gradients for the forward input ``Z``."""
    Z, dA = as_float(Z), as_float(dA)
    A = np.tanh(Z)
    return collect(
        (lambda: dA * (1 - Z ** 2),
         "The derivative was computed from Z; it needs the output: 1 - A**2 with A = tanh(Z)."),
        (lambda: 1 - A ** 2, _F_PRIME_ONLY),
        (lambda: dA * (1 - np.tanh(A) ** 2),
         "tanh was applied twice: the cached A already is tanh(Z); use 1 - A**2."),
        (lambda: dA * (1 - A) ** 2, "Square A first: 1 - A**2, not (1 - A)**2."),
        (lambda: dA * (1 - A), "The derivative is 1 - A**2: A is squared."),
        (lambda: dA * A, _TIMES_F),
        (lambda: dA, _DA_ONLY),
    )


@quiet
def step(Z, thresh=0.0):
    """Wrong binary-step outputs."""
    Z = as_float(Z)
    return collect(
        (lambda: (Z >= thresh) * 1.0,
         "At Z == thresh the output is 0: use Z > thresh (the convention is 0 where Z <= thresh)."),
        (lambda: (Z > 0) * 1.0, "Compare with self.thresh, not with 0."),
        (lambda: (Z < thresh) * 1.0, "The step is 1 ABOVE the threshold and 0 at or below it."),
        (lambda: np.sign(Z - thresh), "np.sign gives -1 below the threshold; the step gives 0 there."),
    )


@quiet
def step_backward(Z, dA):
    """Wrong binary-step gradients."""
    dA = as_float(dA)
    return collect((lambda: dA, "The step's derivative is 0, so backward returns zeros, not dA."),
                    (lambda: np.ones_like(dA), "The step's derivative is 0 everywhere: return zeros."))


@quiet
def relu(Z, a=1.0):
    """Wrong ReLU outputs (``0`` where ``Z <= 0``, else ``a * Z``)."""
    Z = as_float(Z)
    return collect(
        (lambda: np.maximum(Z, 0.0), "Multiply the positive part by the slope self.a."),
        (lambda: np.where(Z > 0, 1.0, 0.0), "forward returns a * Z where Z > 0 (the value), not 1."),
        (lambda: np.maximum(Z, 0.0) + np.minimum(Z, 0.0) * a,
         "ReLU is 0 for Z <= 0; only the positive side is multiplied by a."),
        (lambda: np.minimum(Z, 0.0) * a, "ReLU keeps the POSITIVE part: a * Z where Z > 0, else 0."),
    )


@quiet
def relu_backward(Z, dA, a=1.0):
    """Wrong ReLU gradients for the forward input ``Z``."""
    Z, dA = as_float(Z), as_float(dA)
    return collect(
        (lambda: dA * np.where(Z > 0, a * Z, 0.0), _TIMES_F +
         " The derivative is a step: a where Z > 0, else 0."),
        (lambda: dA * np.where(Z >= 0, a, 0.0),
         "At Z = 0 the derivative is 0 in this course: use Z > 0, not Z >= 0."),
        (lambda: np.where(Z > 0, a, 0.0), _F_PRIME_ONLY),
        (lambda: dA * (Z > 0), "Where Z > 0 the derivative is the slope a, not 1."),
        (lambda: dA, _DA_ONLY),
    )


@quiet
def leaky_relu(Z, a=1.0, b=0.01):
    """Wrong leaky-ReLU outputs (``b * Z`` where ``Z <= 0``, else ``a * Z``)."""
    Z = as_float(Z)
    return collect(
        (lambda: np.where(Z > 0, b * Z, a * Z),
         "a and b are swapped: a is the slope for Z > 0, b the (small) one for Z <= 0."),
        (lambda: np.where(Z > 0, a * Z, 0.0), "The negative side leaks: b * Z where Z <= 0, not 0."),
        (lambda: np.where(Z > 0, a * Z, 0.01 * Z),
         "Use self.b for the negative side, not a fixed 0.01."),
        (lambda: np.where(Z > 0, Z, b * Z), "Multiply the positive side by the slope self.a."),
        (lambda: np.where(Z > 0, a * Z, b), "The negative side is b * Z, not the constant b."),
    )


@quiet
def leaky_relu_backward(Z, dA, a=1.0, b=0.01):
    """Wrong leaky-ReLU gradients for the forward input ``Z``."""
    Z, dA = as_float(Z), as_float(dA)
    return collect(
        (lambda: dA * np.where(Z > 0, b, a),
         "a and b are swapped: the slope is a where Z > 0 and b where Z <= 0."),
        (lambda: dA * np.where(Z > 0, a * Z, b * Z), _TIMES_F +
         " The derivative is a where Z > 0, else b."),
        (lambda: dA * np.where(Z >= 0, a, b), "At Z = 0 the slope is b: use Z > 0 for a."),
        (lambda: dA * np.where(Z > 0, a, 0.0), "The negative side has slope b, not 0."),
        (lambda: dA * np.where(Z > 0, a, 0.01), "Use self.b, not a fixed 0.01."),
        (lambda: np.where(Z > 0, a, b), _F_PRIME_ONLY),
    )


@quiet
def softmax(Z):
    """Wrong softmax outputs (the right one normalises each row)."""
    Z = as_float(Z)
    E = np.exp(Z - Z.max())
    return collect(
        (lambda: softmax_of(Z, axis=0), "Each ROW must sum to 1: sum with axis=1, not axis=0."),
        (lambda: E / E.sum(),
         "Normalise each row on its own (axis=1, keepdims=True), not the whole batch."),
        (lambda: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True),
         "Subtract each row's max before np.exp (Z - Z.max(axis=1, keepdims=True)): without "
         "it np.exp overflows for large inputs."),
        (lambda: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True),
         "Subtract each row's OWN max (axis=1, keepdims=True), not the max of the whole "
         "batch: a row far below the global max underflows to 0/0."),
        (lambda: Z / Z.sum(axis=1, keepdims=True), "softmax exponentiates first: exp(z) / sum(exp(z))."),
        (lambda: sigmoid_of(Z), "That is an elementwise sigmoid; softmax is exp(z) / sum over the row."),
    )


@quiet
def softmax_backward(Z, dA):
    """Wrong softmax Jacobian-vector products for the forward input ``Z``."""
    Z, dA = as_float(Z), as_float(dA)
    A = softmax_of(Z)
    return collect(
        (lambda: dA * A * (1 - A), "That is only the diagonal of the Jacobian; use "
                                   "A * (dA - (dA * A).sum(axis=1, keepdims=True))."),
        (lambda: A * (dA - (dA * A).sum(axis=0, keepdims=True)),
         "The sum runs over each ROW (axis=1, keepdims=True), not over the batch (axis=0)."),
        (lambda: A * (dA - (dA * A).sum()),
         "Sum over each row (axis=1, keepdims=True), not over the whole batch."),
        (lambda: dA * A, "The term - (dA * A).sum(axis=1, keepdims=True) is missing."),
        (lambda: A * (dA - dA.sum(axis=1, keepdims=True)),
         "Weight dA by A inside the sum: (dA * A).sum(axis=1, keepdims=True)."),
        (lambda: dA, _DA_ONLY),
    )


@quiet
def bounded_0_1_activation():
    """Wrong answers to 'which activation is bounded in (0, 1)?' (lower case)."""
    return [("tanh", "tanh is bounded, but in (-1, 1); the (0, 1) range is sigmoid's."),
            ("relu", "ReLU has no upper bound: its output grows with z."),
            ("leaky relu", "Leaky ReLU has no bound at all: it grows with z and goes below 0.")]
