"""One-hot targets, categorical cross-entropy and its gradients.

``target`` and ``output`` are ``(m, C)``: one row per sample, one column
per class. The training loss is the *mean* of the per-sample losses, so
both gradients carry the ``1/m``.
"""
import numpy as np

from ._validation import as_float_array, check_same_shape

__all__ = [
    "EPSILON",
    "one_hot",
    "categorical_crossentropy",
    "crossentropy_gradient",
    "softmax_crossentropy_gradient",
]

#: Probabilities are clipped to ``[EPSILON, 1 - EPSILON]`` before the log.
EPSILON = 1e-7


def one_hot(y, n_classes):
    """Encode integer labels as one-hot rows.

    Parameters
    ----------
    y : array_like of int, shape (m,)
        Labels in ``0 .. n_classes - 1``.
    n_classes : int

    Returns
    -------
    ndarray of float64, shape (m, n_classes)
        Row ``i`` is 1 in column ``y[i]`` and 0 elsewhere.
    """
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive int, got {n_classes!r}")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D (m,), got shape {y.shape}")
    if y.size and not np.issubdtype(y.dtype, np.integer):
        if not np.issubdtype(y.dtype, np.floating) or not np.all(y == np.round(y)):
            raise TypeError(f"y must hold integer class labels, got dtype {y.dtype}")
        y = y.astype(np.int64)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got values from {y.min()} to {y.max()}")
    out = np.zeros((y.shape[0], n_classes))
    out[np.arange(y.shape[0]), y] = 1.0
    return out


def _clip(output):
    return np.clip(output, EPSILON, 1.0 - EPSILON)


def _checked(target, output):
    target = as_float_array(target, "target", ndim=2)
    output = as_float_array(output, "output", ndim=2)
    check_same_shape(target, output, "target", "output")
    return target, output


def categorical_crossentropy(target, output):
    r"""Per-sample cross-entropy :math:`L_i = -\sum_c y_{ic} \log p_{ic}`.

    Parameters
    ----------
    target : array_like, shape (m, C)
        One-hot (or soft) targets.
    output : array_like, shape (m, C)
        Predicted probabilities; clipped to ``[1e-7, 1 - 1e-7]`` so that a
        zero probability gives a large finite loss instead of ``inf``.

    Returns
    -------
    ndarray, shape (m,)
        The training loss is ``categorical_crossentropy(...).mean()``.
    """
    target, output = _checked(target, output)
    return -(target * np.log(_clip(output))).sum(axis=1)


def crossentropy_gradient(target, output):
    r"""Gradient of the mean cross-entropy with respect to ``output``.

    Returns
    -------
    ndarray, shape (m, C)

    Notes
    -----
    :math:`\partial \bar L / \partial p_{ic} = -y_{ic} / (m\, p_{ic})`, with
    the same clipping as the loss.
    """
    target, output = _checked(target, output)
    return -target / _clip(output) / target.shape[0]


def softmax_crossentropy_gradient(target, probs):
    r"""Gradient of the mean cross-entropy with respect to the softmax *input*.

    Parameters
    ----------
    target : array_like, shape (m, C)
    probs : array_like, shape (m, C)
        Softmax output ``P``.

    Returns
    -------
    ndarray, shape (m, C)
        ``(P - Y) / m``.

    Notes
    -----
    Chaining the softmax Jacobian :math:`p_i(\delta_{ij} - p_j)` with
    :math:`-y_i / (m p_i)` and using :math:`\sum_i y_i = 1` collapses to
    :math:`(p_j - y_j) / m`: cheaper and more stable than the two steps.
    """
    target, probs = _checked(target, probs)
    return (probs - target) / target.shape[0]
