"""Known wrong answers of 02_linear_layer: the bias column, the vectorised layer and its initialisation."""
import numpy as np

from ._common import collect, quiet_pair, quiet, as_float

__all__ = [
    "add_bias_column", "linear_forward", "layer_weights", "layer_bias", "layer_forward",
    "matmul_slower_than_loops",
]


@quiet
def add_bias_column(X):
    """Wrong results of prepending a column of ones to ``X``."""
    X = as_float(X)
    ones = np.ones((X.shape[0], 1))
    return collect(
        (lambda: np.hstack([X, ones]), "The ones must be the FIRST column, not the last."),
        (lambda: np.hstack([np.zeros_like(ones), X]), "The bias column holds ones, not zeros."),
        (lambda: np.vstack([np.ones((1, X.shape[1])), X]),
         "That adds a ROW of ones; the bias trick adds a column: one 1 per sample (row)."),
        (lambda: np.hstack([ones, X]).T, "The result is transposed: samples stay rows, (m, n + 1)."),
        (lambda: np.hstack([ones, X[:, 1:]]),
         "The first column of X was overwritten with ones; the ones are an EXTRA column."),
    )


@quiet
def linear_forward(X, W, b):
    """Wrong pre-activations for ``Z = X @ W + b``."""
    X, W, b = as_float(X), as_float(W), as_float(b)
    return collect(
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


@quiet
def layer_weights(input_size, output_size, seed, scale=0.1):
    """Wrong initial weights of ``LinearLayer(input_size, output_size, rng=default_rng(seed))``."""
    shape = (input_size, output_size)
    rng = np.random.default_rng
    return collect(
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


@quiet
def layer_bias(output_size):
    """Wrong initial biases (the right one is ``np.zeros((1, output_size))``)."""
    n = output_size
    return collect(
        (lambda: np.zeros(n),
         f"b must be a 2-D row of shape (1, {n}), not a 1-D array of shape ({n},): "
         f"np.zeros((1, {n}))."),
        (lambda: np.zeros((n, 1)),
         f"b must be a row of shape (1, {n}), not a column ({n}, 1): it is added to every "
         "row (sample) of X @ W."),
        (lambda: np.ones((1, n)), "The bias starts at zero: np.zeros((1, output_size))."),
    )


@quiet_pair
def layer_forward(X, W, b, activation):
    """Wrong outputs of ``LinearLayer.forward``: (A candidates, Z candidates)."""
    X, W, b = as_float(X), as_float(W), as_float(b)
    Z = X @ W + b
    A = activation(Z)
    outputs = collect(
        (lambda: Z, "forward must return self.activation.forward(self.Z), not Z itself."),
        (lambda: activation(X @ W), "The bias is missing inside the activation: A = f(X @ W + b)."),
        (lambda: activation(X) @ W + b,
         "The activation comes last: A = f(X @ W + b), not f(X) @ W + b."),
    )
    cached_z = collect(
        (lambda: A, "self.Z holds the pre-activation X @ W + b (the activation's input); "
                    "this is the activation's output A."),
        (lambda: X @ W, "self.Z must include the bias: Z = X @ W + b."),
    )
    return outputs, cached_z


@quiet
def matmul_slower_than_loops():
    """Wrong answers of the true/false question."""
    return [(True, "Look at your timing plot: the single matrix product beats the Python "
                   "loops, and the gap grows with the size."),
            ("False", "Write the bool False, without quotes (a string is not a bool)."),
            ("True", "Write a bool without quotes; and look at your timing plot again.")]
