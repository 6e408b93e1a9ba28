"""The checks the notebooks' test cells call, under one name: ``from nncourse import testing as T``.

Every check raises ``AssertionError`` with a message written for a learner (see
:mod:`nncourse.checks` and :mod:`nncourse.checklist`); ``T.mistakes`` is the
misconception catalogue (:mod:`nncourse.misconceptions`) whose wrong answers a check
names; ``T.guard`` (:mod:`nncourse.guard`) ends each notebook's locked setup cell.
Nothing here writes to stderr but the guard, and only when learner code replaced
what the tests stand on.

Examples
--------
>>> import numpy as np
>>> from nncourse import testing as T
>>> T.check_close("2 + 2", 2 + 2, 4)
>>> with T.Checks("doubling") as c:
...     ok = c.close("double([1, 2])", np.array([1, 2]) * 2, [2, 4])
"""
from . import misconceptions as mistakes
from .checklist import Checks, quiet
from .checks import (check_close, check_equal, check_own, check_shape, check_true, check_type,
                     check_unchanged)
from .feedback import explain_error
from .guard import guard

__all__ = ["check_own", "check_type", "check_shape", "check_close", "check_equal",
           "check_true", "check_unchanged", "Checks", "quiet", "explain_error", "mistakes",
           "guard"]
