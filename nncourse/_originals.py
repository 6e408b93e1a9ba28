"""numpy's functions and types as they were when the course's checks were imported.

In a graded notebook that is the locked setup cell, before any learner code runs: a
learner who later rebinds ``np.allclose`` (or any of these) in the notebook does not
change how their work is graded, and the guard reports the rebinding.
"""
import numpy as np
import numpy.testing  # noqa: F401  (imported here so the guard snapshots it as well)

asarray = np.asarray
isclose = np.isclose
allclose = np.allclose
isfinite = np.isfinite
array_equal = np.array_equal
array2string = np.array2string
unravel_index = np.unravel_index
shape = np.shape
errstate = np.errstate
ndarray = np.ndarray
generic = np.generic
bool = np.bool_
integer = np.integer
