"""A single artificial neuron, and the answers to the lesson's questions."""
import numpy as np

__all__ = [
    "neuron",
    "neuron_vectorised",
    "brain_to_ann",
    "matmul_slower_than_loops",
    "bounded_0_1_activation",
    "unbounded_activation",
]


def _check_pair(x, w):
    if len(x) != len(w):
        raise ValueError(f"x and w must have the same length, got {len(x)} and {len(w)}")


def neuron(x, w, b):
    r"""Weighted sum of one neuron with a plain Python loop.

    Parameters
    ----------
    x, w : sequence of float, length n
        Inputs and weights (lists or 1-D arrays).
    b : float
        Bias.

    Returns
    -------
    float
        :math:`\sum_i x_i w_i + b`.
    """
    _check_pair(x, w)
    total = 0.0
    for xi, wi in zip(x, w):
        total += float(xi) * float(wi)
    return total + float(b)


def neuron_vectorised(x, w, b):
    """The same as `neuron`, with a single ``np.dot``. Returns a float."""
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if x.ndim != 1 or w.ndim != 1:
        raise ValueError(f"x and w must be 1-D, got shapes {x.shape} and {w.shape}")
    _check_pair(x, w)
    return float(np.dot(x, w) + b)


#: The biological neuron's parts and their artificial counterparts.
brain_to_ann = {
    "synapse": "weight",
    "dendrite": "input",
    "soma": "node",
    "axon": "output",
}

#: "Matrix multiplication is slower than Python loops": false. One BLAS call
#: beats an interpreted loop by orders of magnitude.
matmul_slower_than_loops = False

#: The activation whose outputs lie strictly between 0 and 1.
bounded_0_1_activation = "sigmoid"

#: An activation with no upper bound on its output.
unbounded_activation = "relu"
