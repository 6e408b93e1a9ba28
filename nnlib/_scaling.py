"""Per-feature standardisation statistics for a large X, in one blocked pass.

Part of nnlib's speed machinery (see `nnlib._fast`, which re-exports the two
public functions): ``X.std`` on a large X makes two full-size temporaries and
reads it three times, which costs more than all the matrix products of an
epoch; these functions read it once, in blocks that stay in cache.
"""
import concurrent.futures
import os

import numpy as np

__all__ = ["standardisation", "standardise", "standardise_into", "block_rows", "BLOCK_BYTES"]

_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# Bytes of input rows per block of the blocked passes: a block stays in a
# core's L2 cache while it is standardised and multiplied, and its
# temporaries are reused at once instead of being full-size arrays that
# are faulted in page by page.
BLOCK_BYTES = 1 << 20


def block_rows(n_columns, itemsize):
    """Rows of a ``BLOCK_BYTES`` block of ``n_columns`` items; at least 64 so
    that the matrix products of a block keep their speed."""
    return max(64, BLOCK_BYTES // max(1, n_columns * itemsize))


def standardise_into(X, mean, scale, out):
    """``(X - mean) / scale`` written into ``out``: the same operations, so
    the same roundings, as `standardise`."""
    np.subtract(X, mean, out=out)
    out /= scale
    return out


def _moments(X):
    """(count, mean, sum of squared deviations) of the rows of ``X``, in float64:
    per block as ``X.std`` computes them, merged exactly (Chan et al.)."""
    m, n = X.shape
    rows = block_rows(n, 8)
    buf = np.empty((min(rows, m), n))
    mean = m2 = None
    for start in range(0, m, rows):
        block = X[start:start + rows]
        k = block.shape[0]
        if block.dtype != np.float64:  # one cast, instead of a slow casting reduction
            np.copyto(buf[:k], block, casting="safe")
            block = buf[:k]
        block_mean = np.add.reduce(block, axis=0, dtype=np.float64)
        block_mean /= k
        d = np.subtract(block, block_mean, out=buf[:k])
        d *= d
        block_m2 = np.add.reduce(d, axis=0)
        if mean is None:
            mean, m2 = block_mean, block_m2
        else:
            mean, m2 = _merge((start, mean, m2), (k, block_mean, block_m2))[1:]
    return m, mean, m2


def _merge(a, b):
    """The `_moments` of two sets of rows from those of each."""
    (na, mean_a, m2_a), (nb, mean_b, m2_b) = a, b
    n = na + nb
    delta = mean_b - mean_a
    mean = mean_a + delta * (nb / n)
    delta *= delta
    delta *= na * nb / n
    m2 = m2_a + m2_b
    m2 += delta
    return n, mean, m2


def standardisation(X):
    """Per-feature mean and standard deviation of ``X`` (m, n), each of shape (n,).

    A constant feature gets scale 1, so that it stays at zero instead of 0/0;
    "constant" includes a spread no larger than the rounding of the mean.

    Notes
    -----
    One pass over ``X`` in blocks of rows, in float64 (`_moments`): ``X.std``
    makes two full-size temporaries and reads ``X`` three times, which cost
    more than all the matrix products of an epoch. A large ``X`` is split
    between two threads, since numpy runs a pass on one core (releasing the
    GIL) and the other would idle. For float64 data of one block the result
    is ``X.mean(axis=0)`` and ``X.std(axis=0)`` bit for bit. The results
    have the dtype of ``X``.
    """
    m = X.shape[0]
    rows = block_rows(X.shape[1], 8)
    if m >= 8 * rows and _CORES > 1:
        half = m // 2
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            parts = list(pool.map(_moments, (X[:half], X[half:])))
        _, mean, m2 = _merge(*parts)
    else:
        _, mean, m2 = _moments(X)
    var = m2 / m
    # A constant column's mean is exact only up to the rounding of m
    # additions; treat a variance within that rounding as zero, as an exact
    # zero always was.
    constant = var <= (m * np.finfo(np.float64).eps * mean) ** 2
    scale = np.sqrt(var)
    scale[constant] = 1.0
    return mean.astype(X.dtype, copy=False), scale.astype(X.dtype, copy=False)


def standardise(X, mean, scale):
    """``(X - mean) / scale``: features in units of the training statistics."""
    return (X - mean) / scale
