"""A single artificial neuron: its weighted sum, with a loop and with numpy."""
import numpy as np

__all__ = ["neuron", "neuron_vectorised"]


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

