"""Small input checks shared by the nnlib modules.

They turn bad input into a `TypeError` or `ValueError` that names the
argument, instead of a numpy error from deep inside a computation.
"""
import numpy as np

_FLOATS = (np.float64, np.float32)


def as_float_array(x, name, ndim=None):
    """Return `x` as a floating-point array, keeping float32 and float64.

    Integers and booleans become float64; anything non-numeric is a
    `TypeError`. With `ndim`, the number of dimensions is checked too.
    """
    if type(x) is np.ndarray and x.dtype.type in _FLOATS and (ndim is None or x.ndim == ndim):
        return x  # the common case, checked cheaply: this runs for every layer of every batch
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers: {exc}") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_
    ):
        raise TypeError(f"{name} must contain numbers, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real, got complex dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} must be {ndim}-D, got shape {arr.shape}"
            + (" (samples are rows: reshape a single sample with x.reshape(1, -1))" if ndim == 2 and arr.ndim == 1 else "")
        )
    return arr


def check_same_shape(a, b, name_a, name_b):
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}")
