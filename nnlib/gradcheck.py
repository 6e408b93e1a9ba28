"""Numerical gradients, to check a hand-written backward pass."""
import numpy as np

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(f, x, h=1e-5):
    r"""Central-difference gradient of a scalar function.

    Parameters
    ----------
    f : callable
        Takes no arguments and returns a scalar that depends on `x`
        (typically a closure over a network's weights).
    x : ndarray of float
        Changed in place, one entry at a time, and restored afterwards.
    h : float
        Step size.

    Returns
    -------
    ndarray, same shape as `x`

    Notes
    -----
    :math:`\partial f / \partial x_i \approx (f(x + h e_i) - f(x - h e_i)) / 2h`,
    with an error of order :math:`h^2` (forward differences are only order
    :math:`h`).
    """
    if not callable(f):
        raise TypeError(f"f must be a callable taking no arguments, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a float ndarray that f reads, so that it can be changed in place")
    grad = np.zeros(x.shape, dtype=np.float64)
    flat = x.reshape(-1)  # a view: writing to it changes x
    if not np.shares_memory(flat, x) and x.size:
        raise ValueError("x must be contiguous so that it can be changed in place")
    gflat = grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = float(f())
        flat[i] = old - h
        f_minus = float(f())
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(a, b):
    r"""Largest element-wise relative error between two gradients.

    :math:`\max |a - b| / \max(10^{-8}, |a| + |b|)`; the floor keeps two
    zero gradients at error 0 instead of 0/0.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
