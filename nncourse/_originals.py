"""numpy's functions and types as they were when the course's checks were imported.

In a graded notebook that is the locked setup cell, before any learner code runs: a
learner who later rebinds ``np.allclose`` (or any of these) in the notebook does not
change how their work is graded, and the guard reports the rebinding.
"""
import numpy as np
import numpy.testing  # noqa: F401  (imported here so the guard snapshots it as well)

# Functions the checks call, then types they test against.
asarray, isclose, allclose, isfinite = np.asarray, np.isclose, np.allclose, np.isfinite
array_equal, array2string, unravel_index = np.array_equal, np.array2string, np.unravel_index
shape, errstate = np.shape, np.errstate
ndarray, generic, bool_, integer = np.ndarray, np.generic, np.bool_, np.integer
