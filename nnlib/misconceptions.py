"""Known wrong answers of the graded exercises, with the misconception behind each.

Every function here takes the same inputs as one exercise (or one method of an
exercise) and returns a list of ``(wrong_value, hint)`` pairs: what a learner who
makes that mistake would get back, and the sentence that names the mistake. The
notebooks' test cells pass such a list as ``wrong=`` to
:func:`nnlib.testing.check_close` (or ``check_equal``), which names the first
entry the learner's result matches. The module is available as
``nnlib.testing.mistakes`` (``T.mistakes`` in the notebooks).

Wrong answers are computed, not typed in, so a test can use any fixture and the
hint stays right. A candidate that cannot be computed for the given inputs (the
shapes do not fit, say) is left out; computing one never warns or raises.

Examples
--------
>>> import numpy as np
>>> from nnlib import misconceptions as M
>>> A_prev, dZ = np.ones((3, 2)), np.ones((3, 4))
>>> value, hint = M.linear_backward_dW(A_prev, dZ)[0]
>>> value.shape
(2, 4)
"""
import functools
import itertools
import warnings

import numpy as np

__all__ = [
    "neuron", "brain_to_ann", "add_bias_column", "linear_forward", "layer_weights",
    "layer_bias", "layer_forward", "matmul_slower_than_loops", "identity_backward",
    "linear_activation", "linear_activation_backward", "sigmoid", "sigmoid_backward",
    "tanh", "tanh_backward", "step", "step_backward", "relu", "relu_backward",
    "leaky_relu", "leaky_relu_backward", "softmax", "softmax_backward",
    "bounded_0_1_activation",
    "one_hot", "categorical_crossentropy", "crossentropy_gradient",
    "softmax_crossentropy_gradient", "linear_backward_dW", "linear_backward_db",
    "linear_backward_dA_prev", "numerical_gradient", "relative_error", "sgd_step",
    "predict",
]


def _collect(*candidates):
    """``[(value, hint), ...]`` for every ``(make, hint)`` whose ``make()`` succeeds."""
    found = []
    for make, hint in candidates:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = make()
        except Exception:  # the mistake is impossible for these inputs: skip it
            continue
        if value is not None:  # None: the mistake looks right for these inputs
            found.append((value, hint))
    return found


def _quiet(function, empty=list):
    """Run a catalogue function without numpy warnings; on any error it names no mistake."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return function(*args, **kwargs)
        except Exception:  # malformed inputs: no hints rather than a crash in a test cell
            return empty()
    return wrapper


def _quiet_pair(function):
    """:func:`_quiet` for the functions that return two lists."""
    return _quiet(function, empty=lambda: ([], []))


def _f(a):
    return np.asarray(a, dtype=float)


def _sig(Z):
    return 1.0 / (1.0 + np.exp(-_f(Z)))


def _softmax(Z, axis=1):
    Z = _f(Z)
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


# --------------------------------------------------------------- 01_neurons

@_quiet
def neuron(x, w, b):
    """Wrong outputs of one neuron ``sum(x_i * w_i) + b`` (loop or vectorised)."""
    x, w, b = _f(x), _f(w), float(b)
    dot = float(np.sum(x * w))
    return _collect(
        (lambda: dot, "The bias b is missing: add it once, after the loop."),
        (lambda: dot + len(x) * b,
         f"The bias was added once per input ({len(x)} times): add it once, after the loop."),
        (lambda: float(x[0] * w[0]) + b,
         "Only the first input counts: is the `return` inside the loop? Return after the "
         "loop has added up every x_i * w_i."),
        (lambda: float(x[-1] * w[-1]) + b,
         "Only the last input counts: `total = x_i * w_i` replaces the running sum; "
         "accumulate with `total += x_i * w_i`."),
        (lambda: float(x.sum() * w.sum()) + b,
         "That multiplies the sum of the inputs by the sum of the weights; a neuron adds up "
         "the products x_i * w_i."),
        (lambda: float(np.sum(x + w)) + b,
         "That adds each input to its weight; a neuron multiplies them: sum of x_i * w_i."),
        (lambda: dot * b, "The bias is added to the weighted sum, not multiplied with it."),
        (lambda: dot - b, "The bias is added (+ b), not subtracted."),
    )


_BRAIN_MEANING = {
    "synapse": ("weight", "a synapse is the junction whose strength scales a signal: the weight"),
    "dendrite": ("input", "dendrites receive the signals arriving at a neuron: the inputs"),
    "soma": ("node", "the soma (cell body) adds the signals up: the node"),
    "axon": ("output", "the axon carries the neuron's signal away: the output"),
}


@_quiet
def brain_to_ann():
    """Every wrong one-to-one mapping of the four parts, with the parts it gets wrong."""
    keys = list(_BRAIN_MEANING)
    values = [_BRAIN_MEANING[k][0] for k in keys]
    found = []
    for perm in itertools.permutations(values):
        if list(perm) == values:
            continue
        mapping = dict(zip(keys, perm))
        wrong = [k for k in keys if mapping[k] != _BRAIN_MEANING[k][0]]
        hint = "; ".join(_BRAIN_MEANING[k][1] for k in wrong) + "."
        found.append((mapping, hint[0].upper() + hint[1:]))
    return found


# ---------------------------------------------------------- 02_linear_layer

@_quiet
def add_bias_column(X):
    """Wrong results of prepending a column of ones to ``X``."""
    X = _f(X)
    ones = np.ones((X.shape[0], 1))
    return _collect(
        (lambda: np.hstack([X, ones]), "The ones must be the FIRST column, not the last."),
        (lambda: np.hstack([np.zeros_like(ones), X]), "The bias column holds ones, not zeros."),
        (lambda: np.vstack([np.ones((1, X.shape[1])), X]),
         "That adds a ROW of ones; the bias trick adds a column: one 1 per sample (row)."),
        (lambda: np.hstack([ones, X]).T, "The result is transposed: samples stay rows, (m, n + 1)."),
        (lambda: np.hstack([ones, X[:, 1:]]),
         "The first column of X was overwritten with ones; the ones are an EXTRA column."),
    )


@_quiet
def linear_forward(X, W, b):
    """Wrong pre-activations for ``Z = X @ W + b``."""
    X, W, b = _f(X), _f(W), _f(b)
    return _collect(
        (lambda: X @ W, "The bias b is missing: Z = X @ W + b."),
        (lambda: X @ W - b, "The bias is added (+ b), not subtracted."),
        (lambda: (X @ W) * b, "The bias is added to X @ W, not multiplied."),
        (lambda: X @ (W + b),
         "b was added to W before the product; it is added to X @ W (once per neuron)."),
        (lambda: (X @ W + b).T,
         "The result is transposed: samples are rows, so Z has shape (m, n_out)."),
        (lambda: W.T @ X.T + b.T,
         "That is the samples-as-columns formula W.T @ X.T; in this course samples are rows: "
         "Z = X @ W + b, shape (m, n_out)."),
        (lambda: X @ W + b.sum(),
         "All biases were summed into one number; each neuron has its own bias b[0, j]."),
        (lambda: X * W.sum(axis=1) + b,
         "That multiplies entry by entry (*); a layer needs the matrix product X @ W."),
    )


@_quiet
def layer_weights(input_size, output_size, seed, scale=0.1):
    """Wrong initial weights of ``LinearLayer(input_size, output_size, rng=default_rng(seed))``."""
    shape = (input_size, output_size)
    rng = np.random.default_rng
    return _collect(
        (lambda: rng(seed).standard_normal(shape),
         f"Multiply the random numbers by {scale}: W = rng.standard_normal((n_in, n_out)) * {scale}."),
        (lambda: rng(seed).standard_normal(shape[::-1]).T * scale,
         "Draw W with the shape (input_size, output_size) directly; a transposed draw "
         "gives different numbers."),
        (lambda: rng(seed).standard_normal(shape[::-1]) * scale,
         "W has shape (input_size, output_size): one column of weights per neuron."),
        (lambda: rng(seed).random(shape) * scale,
         "rng.random draws uniform numbers in [0, 1); the weights come from "
         "rng.standard_normal (a normal distribution around 0)."),
        (lambda: np.zeros(shape),
         "W must not start at zero: all neurons would stay identical. Draw it from rng."),
    )


@_quiet
def layer_bias(output_size):
    """Wrong initial biases (the right one is ``np.zeros((1, output_size))``)."""
    n = output_size
    return _collect(
        (lambda: np.zeros(n),
         f"b must be a 2-D row of shape (1, {n}), not a 1-D array of shape ({n},): "
         f"np.zeros((1, {n}))."),
        (lambda: np.zeros((n, 1)),
         f"b must be a row of shape (1, {n}), not a column ({n}, 1): it is added to every "
         "row (sample) of X @ W."),
        (lambda: np.ones((1, n)), "The bias starts at zero: np.zeros((1, output_size))."),
    )


@_quiet_pair
def layer_forward(X, W, b, activation):
    """Wrong outputs of ``LinearLayer.forward``: (A candidates, Z candidates)."""
    X, W, b = _f(X), _f(W), _f(b)
    Z = X @ W + b
    A = activation(Z)
    outputs = _collect(
        (lambda: Z, "forward must return self.activation.forward(self.Z), not Z itself."),
        (lambda: activation(X @ W), "The bias is missing inside the activation: A = f(X @ W + b)."),
        (lambda: activation(X) @ W + b,
         "The activation comes last: A = f(X @ W + b), not f(X) @ W + b."),
    )
    cached_z = _collect(
        (lambda: A, "self.Z holds the pre-activation X @ W + b (the activation's input); "
                    "this is the activation's output A."),
        (lambda: X @ W, "self.Z must include the bias: Z = X @ W + b."),
    )
    return outputs, cached_z


@_quiet
def matmul_slower_than_loops():
    """Wrong answers of the true/false question."""
    return [(True, "Look at your timing plot: the single matrix product beats the Python "
                   "loops, and the gap grows with the size."),
            ("False", "Write the bool False, without quotes (a string is not a bool)."),
            ("True", "Write a bool without quotes; and look at your timing plot again.")]


# ----------------------------------------------------------- 03_activations

_TIMES_F = ("That multiplies dA by the activation itself, not by its derivative (the "
            "original lesson's ReLU bug).")
_F_PRIME_ONLY = "Multiply by dA: backward returns dA * f'(Z), not f'(Z) alone."
_DA_ONLY = "backward returned dA unchanged: it must multiply dA by the derivative f'(Z)."


@_quiet
def identity_backward(Z, dA):
    """Wrong gradients of the identity activation."""
    Z, dA = _f(Z), _f(dA)
    return _collect((lambda: np.ones_like(dA), _F_PRIME_ONLY),
                    (lambda: dA * Z, _TIMES_F),
                    (lambda: Z, "backward returns dA * f'(Z) = dA, not Z."))


@_quiet
def linear_activation(Z, a):
    """Wrong outputs of ``f(z) = a * z``."""
    Z = _f(Z)
    return _collect((lambda: Z, "Multiply by the slope self.a."),
                    (lambda: Z + a, "The slope multiplies z: a * z, not z + a."),
                    (lambda: np.full_like(Z, a), "forward returns a * Z, not a alone."))


@_quiet
def linear_activation_backward(Z, dA, a):
    """Wrong gradients of ``f(z) = a * z``."""
    Z, dA = _f(Z), _f(dA)
    return _collect((lambda: dA, "Multiply dA by the slope self.a: f'(z) = a."),
                    (lambda: np.full_like(dA, a), _F_PRIME_ONLY),
                    (lambda: dA * a * Z, _TIMES_F),
                    (lambda: dA * a * a, "The slope a was applied twice; f'(z) = a."))


@_quiet
def sigmoid(Z):
    """Wrong sigmoid outputs."""
    Z = _f(Z)
    return _collect(
        (lambda: 1 / (1 + np.exp(Z)), "The sign of the exponent: sigmoid(z) = 1 / (1 + exp(-z))."),
        (lambda: 1 / (1 - np.exp(-Z)), "The denominator is 1 + exp(-z), not 1 - exp(-z)."),
        (lambda: np.exp(-Z) / (1 + np.exp(-Z)),
         "That is 1 - sigmoid(z) = sigmoid(-z): the numerator is 1 (or exp(z) over 1 + exp(z))."),
        (lambda: np.tanh(Z), "That is tanh; sigmoid is 1 / (1 + exp(-z)), with outputs in (0, 1)."),
    )


@_quiet
def sigmoid_backward(Z, dA):
    """Wrong sigmoid gradients for the forward input ``Z``."""
    Z, dA = _f(Z), _f(dA)
    S = _sig(Z)
    return _collect(
        (lambda: dA * S, "The factor (1 - A) is missing: sigmoid'(z) = A * (1 - A)."),
        (lambda: dA * (1 - S), "The factor A is missing: sigmoid'(z) = A * (1 - A)."),
        (lambda: S * (1 - S), _F_PRIME_ONLY),
        (lambda: dA * Z * (1 - Z),
         "The derivative was computed from Z; it needs the output A = sigmoid(Z): A * (1 - A)."),
        (lambda: dA * _sig(S) * (1 - _sig(S)),
         "sigmoid was applied twice: the cached A already is sigmoid(Z); use A * (1 - A)."),
        (lambda: dA * S * (1 + S), "sigmoid'(z) = A * (1 - A): a minus, not a plus."),
        (lambda: dA, _DA_ONLY),
    )


@_quiet
def tanh(Z):
    """Wrong tanh outputs."""
    Z = _f(Z)
    return _collect((lambda: _sig(Z), "That is sigmoid; use np.tanh(Z)."),
                    (lambda: 2 * _sig(Z), "tanh(z) = 2 * sigmoid(2z) - 1."))


@_quiet
def tanh_backward(Z, dA):
    """Wrong tanh gradients for the forward input ``Z``."""
    Z, dA = _f(Z), _f(dA)
    A = np.tanh(Z)
    return _collect(
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


@_quiet
def step(Z, thresh=0.0):
    """Wrong binary-step outputs."""
    Z = _f(Z)
    return _collect(
        (lambda: (Z >= thresh) * 1.0,
         "At Z == thresh the output is 0: use Z > thresh (the convention is 0 where Z <= thresh)."),
        (lambda: (Z > 0) * 1.0, "Compare with self.thresh, not with 0."),
        (lambda: (Z < thresh) * 1.0, "The step is 1 ABOVE the threshold and 0 at or below it."),
        (lambda: np.sign(Z - thresh), "np.sign gives -1 below the threshold; the step gives 0 there."),
    )


@_quiet
def step_backward(Z, dA):
    """Wrong binary-step gradients."""
    dA = _f(dA)
    return _collect((lambda: dA, "The step's derivative is 0, so backward returns zeros, not dA."),
                    (lambda: np.ones_like(dA), "The step's derivative is 0 everywhere: return zeros."))


@_quiet
def relu(Z, a=1.0):
    """Wrong ReLU outputs (``0`` where ``Z <= 0``, else ``a * Z``)."""
    Z = _f(Z)
    return _collect(
        (lambda: np.maximum(Z, 0.0), "Multiply the positive part by the slope self.a."),
        (lambda: np.where(Z > 0, 1.0, 0.0), "forward returns a * Z where Z > 0 (the value), not 1."),
        (lambda: np.maximum(Z, 0.0) + np.minimum(Z, 0.0) * a,
         "ReLU is 0 for Z <= 0; only the positive side is multiplied by a."),
        (lambda: np.minimum(Z, 0.0) * a, "ReLU keeps the POSITIVE part: a * Z where Z > 0, else 0."),
    )


@_quiet
def relu_backward(Z, dA, a=1.0):
    """Wrong ReLU gradients for the forward input ``Z``."""
    Z, dA = _f(Z), _f(dA)
    return _collect(
        (lambda: dA * np.where(Z > 0, a * Z, 0.0), _TIMES_F +
         " The derivative is a step: a where Z > 0, else 0."),
        (lambda: dA * np.where(Z >= 0, a, 0.0),
         "At Z = 0 the derivative is 0 in this course: use Z > 0, not Z >= 0."),
        (lambda: np.where(Z > 0, a, 0.0), _F_PRIME_ONLY),
        (lambda: dA * (Z > 0), "Where Z > 0 the derivative is the slope a, not 1."),
        (lambda: dA, _DA_ONLY),
    )


@_quiet
def leaky_relu(Z, a=1.0, b=0.01):
    """Wrong leaky-ReLU outputs (``b * Z`` where ``Z <= 0``, else ``a * Z``)."""
    Z = _f(Z)
    return _collect(
        (lambda: np.where(Z > 0, b * Z, a * Z),
         "a and b are swapped: a is the slope for Z > 0, b the (small) one for Z <= 0."),
        (lambda: np.where(Z > 0, a * Z, 0.0), "The negative side leaks: b * Z where Z <= 0, not 0."),
        (lambda: np.where(Z > 0, a * Z, 0.01 * Z),
         "Use self.b for the negative side, not a fixed 0.01."),
        (lambda: np.where(Z > 0, Z, b * Z), "Multiply the positive side by the slope self.a."),
        (lambda: np.where(Z > 0, a * Z, b), "The negative side is b * Z, not the constant b."),
    )


@_quiet
def leaky_relu_backward(Z, dA, a=1.0, b=0.01):
    """Wrong leaky-ReLU gradients for the forward input ``Z``."""
    Z, dA = _f(Z), _f(dA)
    return _collect(
        (lambda: dA * np.where(Z > 0, b, a),
         "a and b are swapped: the slope is a where Z > 0 and b where Z <= 0."),
        (lambda: dA * np.where(Z > 0, a * Z, b * Z), _TIMES_F +
         " The derivative is a where Z > 0, else b."),
        (lambda: dA * np.where(Z >= 0, a, b), "At Z = 0 the slope is b: use Z > 0 for a."),
        (lambda: dA * np.where(Z > 0, a, 0.0), "The negative side has slope b, not 0."),
        (lambda: dA * np.where(Z > 0, a, 0.01), "Use self.b, not a fixed 0.01."),
        (lambda: np.where(Z > 0, a, b), _F_PRIME_ONLY),
    )


@_quiet
def softmax(Z):
    """Wrong softmax outputs (the right one normalises each row)."""
    Z = _f(Z)
    E = np.exp(Z - Z.max())
    return _collect(
        (lambda: _softmax(Z, axis=0), "Each ROW must sum to 1: sum with axis=1, not axis=0."),
        (lambda: E / E.sum(),
         "Normalise each row on its own (axis=1, keepdims=True), not the whole batch."),
        (lambda: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True),
         "Subtract each row's max before np.exp (Z - Z.max(axis=1, keepdims=True)): without "
         "it np.exp overflows for large inputs."),
        (lambda: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True),
         "Subtract each row's OWN max (axis=1, keepdims=True), not the max of the whole "
         "batch: a row far below the global max underflows to 0/0."),
        (lambda: Z / Z.sum(axis=1, keepdims=True), "softmax exponentiates first: exp(z) / sum(exp(z))."),
        (lambda: _sig(Z), "That is an elementwise sigmoid; softmax is exp(z) / sum over the row."),
    )


@_quiet
def softmax_backward(Z, dA):
    """Wrong softmax Jacobian-vector products for the forward input ``Z``."""
    Z, dA = _f(Z), _f(dA)
    A = _softmax(Z)
    return _collect(
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


@_quiet
def bounded_0_1_activation():
    """Wrong answers to 'which activation is bounded in (0, 1)?' (lower case)."""
    return [("tanh", "tanh is bounded, but in (-1, 1); the (0, 1) range is sigmoid's."),
            ("relu", "ReLU has no upper bound: its output grows with z."),
            ("leaky relu", "Leaky ReLU has no bound at all: it grows with z and goes below 0.")]


# ------------------------------------------------------------------ 04_loss

@_quiet
def one_hot(y, n_classes):
    """Wrong one-hot encodings of integer labels ``y``."""
    y = np.asarray(y).astype(int)
    eye = np.eye(n_classes)
    return _collect(
        (lambda: eye[y - 1],
         "The classes are off by one: label k puts its 1 in column k (labels start at 0)."),
        (lambda: np.eye(n_classes + 1)[y + 1][:, :n_classes],
         "The classes are off by one: label k puts its 1 in column k, not k + 1."),
        (lambda: eye[y].T, "The result is transposed: one ROW per sample, (m, n_classes)."),
        (lambda: np.eye(int(y.max()) + 1)[y],
         "Use n_classes for the number of columns, not max(y) + 1: a batch need not contain "
         "every class."),
        (lambda: 1.0 - eye[y], "The 1 marks the true class; every other entry is 0."),
    )


def _clip(p):
    return np.clip(_f(p), 1e-7, 1 - 1e-7)


@_quiet
def categorical_crossentropy(target, output):
    """Wrong per-sample cross-entropies ``-sum_c target * log(clip(output))``."""
    T_, P = _f(target), _f(output)
    Pc = _clip(P)
    m, C = T_.shape
    right = -np.sum(T_ * np.log(Pc), axis=1)
    return _collect(
        (lambda: -np.sum(T_ * np.log(P), axis=1),
         "Clip the output to [1e-7, 1 - 1e-7] before the log: log(0) is -inf."),
        (lambda: -np.sum(T_ * np.log(np.clip(P, 1e-7, None)), axis=1),
         "Clip the upper end too: to 1 - 1e-7."),
        (lambda: -np.sum(T_ * np.log(np.clip(P, 1e-8, 1 - 1e-8)), axis=1),
         "Clip to [1e-7, 1 - 1e-7], not another epsilon."),
        (lambda: -np.sum(T_ * np.log(np.clip(P, 1e-15, 1 - 1e-15)), axis=1),
         "Clip to [1e-7, 1 - 1e-7], not another epsilon."),
        (lambda: -np.sum(T_ * np.log10(Pc), axis=1), "Use the natural log np.log, not np.log10."),
        (lambda: np.sum(T_ * np.log(Pc), axis=1), "The loss has a minus sign in front of the sum."),
        (lambda: -np.sum(Pc * np.log(np.clip(T_, 1e-7, 1 - 1e-7)), axis=1),
         "The log is of the predicted probabilities (output), weighted by the target: "
         "-sum target * log(output); the arguments are swapped."),
        (lambda: -np.sum(T_ * np.log(1 - Pc), axis=1),
         "The log is of output, not of 1 - output (that term belongs to binary cross-entropy)."),
        (lambda: -np.sum((1 - T_) * np.log(1 - Pc) + T_ * np.log(Pc), axis=1),
         "That is binary cross-entropy summed over the classes; categorical cross-entropy "
         "is -sum target * log(output)."),
        (lambda: -np.mean(T_ * np.log(Pc), axis=1),
         f"Sum over the {C} classes (np.sum), do not average over them."),
        (lambda: -np.sum(T_ * np.log(Pc), axis=0),
         "Sum over the classes (axis=1), one loss per sample; axis=0 sums over the samples."),
        (lambda: float(np.mean(right)),
         "Return one loss per sample, shape (m,); the mean over the batch is taken later."),
        (lambda: float(np.sum(right)),
         "Return one loss per sample, shape (m,): sum over the classes only (axis=1)."),
        (lambda: -np.log(Pc[np.arange(m), T_.argmax(axis=1)]) if not np.allclose(
            T_.sum(axis=1), T_.max(axis=1)) else None,
         "Picking the probability of the argmax class only works for one-hot targets; "
         "-sum target * log(output) also handles soft targets."),
    )


@_quiet
def crossentropy_gradient(target, output):
    """Wrong gradients of the mean cross-entropy w.r.t. the probabilities."""
    T_, P = _f(target), _f(output)
    m, C = T_.shape
    Pc = _clip(P)
    right = -T_ / Pc / m
    return _collect(
        (lambda: right * m,
         f"It is {m} \u00d7 the expected value, with m = {m} samples: the loss is the MEAN over "
         "the batch, so divide by m (the number of rows)."),
        (lambda: right / m,
         f"It is 1/{m} \u00d7 the expected value, with m = {m} samples: divide by m once."),
        (lambda: -right, "Mind the sign: the derivative of -log p is -1/p."),
        (lambda: -T_ / P / m,
         "Clip the output to [1e-7, 1 - 1e-7] before dividing: a probability of 0 gives "
         "a division by zero."),
        (lambda: -T_ / Pc / C,
         f"Divide by the number of samples m = {m} (rows), not by the number of classes C = {C}."),
        (lambda: (P - T_) / m,
         "(output - target) / m is the gradient with respect to the softmax *input*; here "
         "the derivative with respect to the probabilities is asked: -target / output / m."),
        (lambda: -T_ * np.log(Pc) / m,
         "That is the loss itself, not its gradient: d(-t log p)/dp = -t / p."),
    )


@_quiet
def softmax_crossentropy_gradient(target, probs):
    """Wrong gradients of the mean cross-entropy w.r.t. the softmax input."""
    T_, P = _f(target), _f(probs)
    m, C = T_.shape
    right = (P - T_) / m
    return _collect(
        (lambda: right * m,
         f"It is {m} \u00d7 the expected value, with m = {m} samples: the loss is the MEAN over "
         "the batch, so divide by m."),
        (lambda: right / m, f"It is 1/{m} \u00d7 the expected value: divide by m = {m} once."),
        (lambda: -right, "It is probs - target, not target - probs."),
        (lambda: (P - T_) / C,
         f"Divide by the number of samples m = {m} (rows), not by the number of classes C = {C}."),
        (lambda: -T_ / _clip(P) / m,
         "That is the gradient with respect to the probabilities; through the softmax it "
         "simplifies to (probs - target) / m."),
    )


# ------------------------------------------------------------- 05_backprop

_DW_DIVIDED = ("the 1/m already lives in the loss gradient (the loss is a mean), so the "
               "layer must not divide again: dW = A_prev.T @ dZ.")


@_quiet
def linear_backward_dW(A_prev, dZ, Z=None, dA=None):
    """Wrong weight gradients (right: ``A_prev.T @ dZ``).

    ``Z`` (the layer's pre-activation) and ``dA`` (the gradient before the
    activation's backward) add the candidates that use them by mistake.
    """
    A_prev, dZ = _f(A_prev), _f(dZ)
    m = A_prev.shape[0]
    right = A_prev.T @ dZ
    found = _collect(
        (lambda: right / m,
         f"dW is 1/{m} \u00d7 the expected value, with m = {m} samples: " + _DW_DIVIDED),
        (lambda: right * m,
         f"dW is {m} \u00d7 the expected value, with m = {m} samples: did you multiply by m, "
         "or forget that the loss gradient already holds the 1/m?"),
        (lambda: dZ.T @ A_prev,
         "dW is transposed: dW = A_prev.T @ dZ has the shape of W, (n_in, n_out)."),
        (lambda: A_prev @ dZ.T,
         "dW = A_prev.T @ dZ (the transpose goes on A_prev): it has the shape of W, "
         "(n_in, n_out)."),
    )
    if dA is not None:
        found += _collect((lambda: A_prev.T @ _f(dA),
                           "dW uses dZ = activation.backward(dA); the activation's backward was "
                           "skipped (the gradient dA was used as dZ)."))
    if Z is not None:
        found += _collect((lambda: _f(Z).T @ dZ,
                           "dW uses the layer's INPUT A_prev: dW = A_prev.T @ dZ, not Z.T @ dZ."))
    return found


@_quiet
def linear_backward_db(dZ, dA=None):
    """Wrong bias gradients (right: ``dZ.sum(axis=0, keepdims=True)``)."""
    dZ = _f(dZ)
    m = dZ.shape[0]
    found = _collect(
        (lambda: dZ.sum(axis=0),
         "db lost its row dimension: use dZ.sum(axis=0, keepdims=True), shape (1, n_out) "
         "like b."),
        (lambda: dZ.mean(axis=0, keepdims=True),
         f"db is 1/{m} \u00d7 the expected value (mean instead of sum), with m = {m} samples: "
         + _DW_DIVIDED.replace("dW = A_prev.T @ dZ", "db = dZ.sum(axis=0, keepdims=True)")),
        (lambda: dZ.sum(axis=0, keepdims=True) * m,
         f"db is {m} \u00d7 the expected value, with m = {m} samples: sum dZ over the samples, "
         "nothing more."),
        (lambda: dZ.sum(axis=1, keepdims=True),
         "Sum over the samples (axis=0, keepdims=True): one entry per neuron."),
        (lambda: dZ.sum(axis=1),
         "Sum over the samples (axis=0, keepdims=True): one entry per neuron."),
        (lambda: dZ, "db sums dZ over the samples: dZ.sum(axis=0, keepdims=True)."),
        (lambda: float(dZ.sum()), "Sum over the samples only (axis=0, keepdims=True), one "
                                  "entry per neuron, not over everything."),
    )
    if dA is not None:
        found += _collect((lambda: _f(dA).sum(axis=0, keepdims=True),
                           "db uses dZ = activation.backward(dA); the activation's backward was "
                           "skipped."))
    return found


@_quiet
def linear_backward_dA_prev(dZ, W, dA=None):
    """Wrong gradients for the previous layer (right: ``dZ @ W.T``)."""
    dZ, W = _f(dZ), _f(W)
    m = dZ.shape[0]
    found = _collect(
        (lambda: dZ @ W, "dA_prev = dZ @ W.T: the transpose of W is missing."),
        (lambda: dZ @ W.T / m,
         f"dA_prev is 1/{m} \u00d7 the expected value: no 1/m in a layer's backward."),
        (lambda: (dZ @ W.T).T, "dA_prev is transposed: it has the shape of A_prev, (m, n_in)."),
    )
    if dA is not None:
        found += _collect((lambda: _f(dA) @ W.T,
                           "dA_prev = dZ @ W.T with dZ = activation.backward(dA): the "
                           "activation's backward was skipped."))
    return found


@_quiet
def numerical_gradient(f, x, h=1e-5):
    """Wrong numerical gradients of ``f()`` w.r.t. ``x`` (changes ``x`` and restores it)."""
    x_arr = x
    original = np.array(x_arr, dtype=float, copy=True)

    def each_entry(delta):
        grad = np.zeros(x_arr.shape)
        for k in np.ndindex(x_arr.shape):
            old = x_arr[k]
            x_arr[k] = old + delta[0]
            plus = f()
            x_arr[k] = old + delta[1]
            minus = f()
            x_arr[k] = old
            grad[k] = (plus - minus) / delta[2]
        return grad

    def run(delta):
        try:
            return each_entry(delta)
        finally:
            x_arr[...] = original  # never leave x changed, whatever f did

    return _collect(
        (lambda: run((h, 0.0, h)),
         "Those are forward differences (f(x + h) - f(x)) / h; central differences "
         "(f(x + h) - f(x - h)) / (2h) are asked (error of order h**2 instead of h)."),
        (lambda: run((0.0, -h, h)),
         "Those are backward differences (f(x) - f(x - h)) / h; central differences "
         "(f(x + h) - f(x - h)) / (2h) are asked."),
        (lambda: run((h, -h, h)),
         "It is 2 \u00d7 the expected value: central differences divide by 2h, not h."),
        (lambda: run((h, -h, 1.0)),
         "Divide the difference by 2h: (f(x + h) - f(x - h)) / (2h)."),
        (lambda: np.zeros(x_arr.shape),
         "All zeros: f() never saw the changed x. Change x itself, in place (x[k] = ...), "
         "not a copy; f reads the very array you were given."),
        (lambda: run((1e-5, -1e-5, 2e-5)) if h != 1e-5 else None,
         "Use the step h that was passed in, not a fixed 1e-5."),
    )


@_quiet
def relative_error(a, b):
    """Wrong relative errors (right: ``max(|a-b| / maximum(1e-8, |a|+|b|))``)."""
    a, b = _f(a), _f(b)
    diff, size = np.abs(a - b), np.abs(a) + np.abs(b)
    return _collect(
        (lambda: float(np.max(diff / size)),
         "Without the floor, two zero gradients give 0/0 = nan: divide by "
         "np.maximum(1e-8, |a| + |b|)."),
        (lambda: float(np.mean(diff / np.maximum(1e-8, size))),
         "Take the max over the entries (the worst one), not the mean."),
        (lambda: float(np.max(diff) / np.maximum(1e-8, np.max(size))),
         "Divide entry by entry, then take the max: max(|a - b| / max(1e-8, |a| + |b|))."),
        (lambda: float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a + b)))),
         "The denominator is |a| + |b|, not |a + b|."),
        (lambda: float(np.max((a - b) / np.maximum(1e-8, size))),
         "Take the absolute value of the difference: |a - b|."),
        (lambda: float(np.max(diff / np.maximum(1e-12, size))),
         "The floor is 1e-8: np.maximum(1e-8, |a| + |b|)."),
        (lambda: float(np.max(diff / (size + 1e-8))),
         "The floor is a maximum, np.maximum(1e-8, |a| + |b|), not + 1e-8."),
        (lambda: float(np.max(diff)), "Divide by np.maximum(1e-8, |a| + |b|): the error is relative."),
        (lambda: diff / np.maximum(1e-8, size),
         "Return one number, the largest entry: np.max(...)."),
    )


@_quiet_pair
def sgd_step(W, b, dW, db, lr):
    """Wrong parameters after one step ``W - lr * dW`` (returns (W candidates, b candidates))."""
    W, b, dW, db = _f(W), _f(b), _f(dW), _f(db)
    rules = [
        (lambda p, g: p, "The parameters were not updated at all."),
        (lambda p, g: p + lr * g, "Gradient DEscent subtracts: p -= lr * dp (a plus climbs the loss)."),
        (lambda p, g: p - 2 * lr * g, "lr was applied twice (the step is 2 \u00d7 lr * dp)."),
        (lambda p, g: p - lr * lr * g, "lr was applied twice (lr * lr * dp)."),
        (lambda p, g: p - g, "Multiply the gradient by the learning rate lr."),
        (lambda p, g: p - lr * g / p.shape[0] if p.shape[0] > 1 else None,
         "No 1/m here: the gradients already come from the mean loss."),
        (lambda p, g: -lr * g, "The update is p - lr * dp: the old value p is missing."),
    ]
    w_list = _collect(*[(lambda r=r: r[0](W, dW), r[1]) for r in rules])
    b_list = _collect(*[(lambda r=r: r[0](b, db), r[1]) for r in rules])
    return w_list, b_list


# ------------------------------------------------------------- 06_training

@_quiet
def predict(probs, classes):
    """Wrong predictions from class probabilities ``probs`` (m, C) and the labels ``classes``."""
    P = _f(probs)
    classes = np.asarray(classes)
    return _collect(
        (lambda: P, "predict returns one class label per sample, not the probabilities: "
                    "take the argmax of each row."),
        (lambda: np.argmax(P, axis=0),
         "argmax over axis=1 (the classes of each sample), not axis=0 (the samples)."),
        (lambda: np.argmax(P, axis=1) if not np.array_equal(classes, np.arange(len(classes)))
         else None,
         "Map the column index back to the label: self.classes_[np.argmax(P, axis=1)]."),
        (lambda: np.max(P, axis=1), "np.max gives the highest probability; np.argmax gives "
                                   "its column, the predicted class."),
        (lambda: classes[np.argmin(P, axis=1)], "argmax, not argmin: the most likely class."),
    )
