"""``Checks``: several checks in one test cell, every failure reported at once; ``quiet``.

Examples
--------
>>> import numpy as np
>>> from nncourse import testing as T
>>> with T.Checks("doubling") as c:
...     ok = c.close("double([1, 2])", np.array([1, 2]) * 2, [2, 4])
"""
import contextlib
import io
import warnings

from ._originals import (
    errstate as _errstate,
)
from .checks import (check_close, check_equal, check_own, check_shape, check_true, check_type,
                     check_unchanged)
from .feedback import fail, warning_hint, explain_error
from .guard import verify as _verify

__all__ = ["Checks", "quiet"]


class Checks:
    """Collect several checks and report every failure at once.

    Parameters
    ----------
    title : str
        Names the group in the combined message.
    errors : dict of {exception type: str}, optional
        Exercise-specific hints for exceptions the learner's code may raise in
        the body; they take precedence over the generic ones.

    Notes
    -----
    Each method runs the module-level check of the same meaning and returns
    True when it passed, so later checks can depend on earlier ones. An
    exception raised by the body itself (NotImplementedError from a stub, a
    NameError, ...) propagates unchanged; for common shape, type and index
    errors a note with the likely cause is added to it (see
    :func:`explain_error`).
    """

    def __init__(self, title, errors=None):
        self.title = title
        self.errors = dict(errors or {})
        self.failures = []

    def _run(self, check, *args, **kwargs):
        try:
            check(*args, **kwargs)
        except AssertionError as error:
            self.failures.append(str(error))
            return False
        return True

    def close(self, name, actual, expected, rtol=1e-6, atol=1e-9, wrong=None):
        """See :func:`check_close`."""
        return self._run(check_close, name, actual, expected, rtol=rtol, atol=atol, wrong=wrong)

    def shape(self, name, array, shape, wrong=None):
        """See :func:`check_shape`."""
        return self._run(check_shape, name, array, shape, wrong=wrong)

    def type(self, name, value, types):
        """See :func:`check_type`."""
        return self._run(check_type, name, value, types)

    def equal(self, name, actual, expected, wrong=None):
        """See :func:`check_equal`."""
        return self._run(check_equal, name, actual, expected, wrong=wrong)

    def true(self, condition, message):
        """See :func:`check_true`."""
        return self._run(check_true, condition, message)

    def own(self, obj, name):
        """See :func:`check_own`."""
        return self._run(check_own, obj, name)

    def unchanged(self, name, array, original, hint=None):
        """See :func:`check_unchanged`."""
        return self._run(check_unchanged, name, array, original, hint=hint)

    def call(self, what, function, *args, hint=None, **kwargs):
        """Return ``function(*args, **kwargs)``; a warning or stderr output fails a check.

        nbgrader gives no points to a cell that writes to stderr, and numpy's
        warnings (overflow in np.exp, log of 0, 0/0) go there. This runs the
        learner's function with those warnings switched on and recorded, so the
        failure says which call warned and why, instead of a bare zero.

        Parameters
        ----------
        what : str
            The call, as the learner should read it, e.g. ``"forward(Z)"``.
        function : callable
        *args, **kwargs
            Passed on to ``function``.
        hint : str, optional
            The likely cause in this exercise; by default it is guessed from the
            warning's text.
        """
        __tracebackhide__ = True
        buffer = io.StringIO()
        with warnings.catch_warnings(record=True) as caught, \
                _errstate(over="warn", divide="warn", invalid="warn", under="ignore"), \
                contextlib.redirect_stderr(buffer):
            warnings.simplefilter("always")
            result = function(*args, **kwargs)
        if caught:
            text = f"{caught[0].category.__name__}: {caught[0].message}"
            self.failures.append(
                f"{what} caused a warning ({text}); a warning in a graded cell scores 0."
                f"\n  Hint: {hint or warning_hint(str(caught[0].message)) or 'avoid it.'}")
        elif buffer.getvalue().strip():
            self.failures.append(
                f"{what} wrote to stderr: {buffer.getvalue().strip()[:200]!r}; output on "
                "stderr in a graded cell scores 0.")
        return result

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        __tracebackhide__ = True
        _verify()
        if exc_type is not None:
            hint = ""
            if isinstance(exc, Exception):
                hint = next((text for kind, text in self.errors.items()
                             if isinstance(exc, kind)), "") or explain_error(exc)
            notes = getattr(exc, "__notes__", ())
            if self.failures:
                count = len(self.failures)
                earlier = [f"Before this error, {count} check{'s' if count > 1 else ''} of "
                           f"{self.title!r} had already failed:"]
                earlier += [f"{n}. " + t.replace("\n", "\n   ")
                            for n, t in enumerate(self.failures, 1)]
                exc.add_note("\n".join(earlier))
            if hint and not any(hint in note for note in notes):
                exc.add_note(f"Hint: {hint}")
            return False  # let the body's own exception through
        if not self.failures:
            return False
        count = len(self.failures)
        lines = [f"{self.title}: {count} check{'s' if count > 1 else ''} failed"]
        for number, text in enumerate(self.failures, 1):
            lines.append(f"{number}. " + text.replace("\n", "\n   "))
        fail("\n".join(lines))


@contextlib.contextmanager
def quiet():
    """Silence numpy floating-point warnings, Python warnings and stderr.

    nbgrader gives zero points to a test cell that writes anything to stderr,
    so graded cells wrap noisy but harmless code in this.

    Yields
    ------
    io.StringIO
        Whatever was written to stderr inside the block.
    """
    buffer = io.StringIO()
    with _errstate(all="ignore"), warnings.catch_warnings(), \
            contextlib.redirect_stderr(buffer):
        warnings.simplefilter("ignore")
        yield buffer

