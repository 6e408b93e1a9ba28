"""Known wrong answers of the graded exercises, with the misconception behind each.

Every function here takes the same inputs as one exercise (or one method of an
exercise) and returns a list of ``(wrong_value, hint)`` pairs: what a learner who
makes that mistake would get back, and the sentence that names the mistake. The
notebooks' test cells pass such a list as ``wrong=`` to
:func:`nncourse.checks.check_close` (or ``check_equal``), which names the first
entry the learner's result matches. The package, one module per notebook, is available as
``nncourse.testing.mistakes`` (``T.mistakes`` in the notebooks).

Wrong answers are computed, not typed in, so a test can use any fixture and the
hint stays right. A candidate that cannot be computed for the given inputs (the
shapes do not fit, say) is left out; computing one never warns or raises.

Examples
--------
>>> import numpy as np
>>> from nncourse import misconceptions as M
>>> A_prev, dZ = np.ones((3, 2)), np.ones((3, 4))
>>> value, hint = M.linear_backward_dW(A_prev, dZ)[0]
>>> value.shape
(2, 4)
"""
from .neurons import *  # noqa: F401,F403
from .linear_layer import *  # noqa: F401,F403
from .activations import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .backprop import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403
from . import neurons, linear_layer, activations, loss, backprop, training

__all__ = [name for module in (neurons, linear_layer, activations, loss, backprop, training)
           for name in module.__all__]
