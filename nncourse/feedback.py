"""The words of a failed check: how values are shown, and hints at the likely cause.

Shape hints, the relation of a wrong result to the right one (a constant factor, the
opposite sign, a transpose), the likely cause of an exception or a numpy warning
raised by the learner's code, and the exception every check raises. What a learner
sees is the line of their test cell and then the message: frames in the course's
modules set ``__tracebackhide__`` (pytest and IPython skip them), and
:class:`CheckFailed` renders its own traceback in IPython without them.
"""
import math
import types

from ._originals import (
    asarray as _asarray, allclose as _allclose, isfinite as _isfinite, array2string as _array2string,
    unravel_index as _unravel_index, errstate as _errstate, ndarray as _ndarray, generic as _generic,
)

SMALL = 24  # arrays with at most this many entries are printed in full


def _visible_traceback(tb):
    """A copy of the traceback chain without the frames that set ``__tracebackhide__``."""
    kept = []
    while tb is not None:
        if not tb.tb_frame.f_locals.get("__tracebackhide__"):
            kept.append(tb)
        tb = tb.tb_next
    chain = None
    for item in reversed(kept):
        chain = types.TracebackType(chain, item.tb_frame, item.tb_lasti, item.tb_lineno)
    return chain


class CheckFailed(AssertionError):
    """The AssertionError every check raises (its type is shown as ``AssertionError``).

    IPython would still print the innermost frame of a traceback even when it is
    marked hidden, i.e. a line inside this module. ``_render_traceback_`` (the hook
    IPython asks first) renders the traceback without our frames, so what a learner
    sees is the line of their test cell and then the message.
    """

    def _render_traceback_(self):
        __tracebackhide__ = True
        tb = _visible_traceback(self.__traceback__)
        try:
            from IPython import get_ipython  # only reached inside IPython
            shell = get_ipython()
            if shell is not None:
                return shell.InteractiveTB.structured_traceback(
                    type(self), self, tb, tb_offset=0)
        except Exception:  # pragma: no cover - fall back to the plain format below
            pass
        import traceback
        return "".join(traceback.format_exception(type(self), self, tb)).splitlines()


CheckFailed.__name__ = CheckFailed.__qualname__ = "AssertionError"


def fail(message):
    __tracebackhide__ = True
    # ``from None``: the learner needs our message, not the chain that led to it.
    raise CheckFailed(message) from None


def fmt(value):
    """Short text for a value: small arrays in full, big ones summarised."""
    if isinstance(value, (_ndarray, _generic)) and getattr(value, "size", 1) > SMALL:
        arr = _asarray(value)
        text = f"array of shape {arr.shape}, dtype {arr.dtype}"
        if arr.dtype.kind in "biuf" and arr.size:
            with _errstate(all="ignore"):
                text += f", min {arr.min():.6g}, max {arr.max():.6g}, mean {arr.mean():.6g}"
        return text
    if isinstance(value, (_ndarray, _generic)) and _asarray(value).ndim == 0 \
            and _asarray(value).dtype.kind == "f":
        return f"{float(value):.6g}"
    if isinstance(value, (_ndarray, _generic)):
        text = _array2string(_asarray(value), precision=6, separator=", ", max_line_width=88)
        return text.replace("\n", "\n            ")  # keep multi-line arrays aligned
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def type_name(value):
    return "None" if value is None else type(value).__name__


def article(word):
    """The word with its indefinite article: 'a float', 'an int'."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def none_hint(name, value):
    if value is None:
        subject = name.split()[0]
        if "." in subject and "(" not in subject:
            # An attribute such as "layer.A_prev": it was never assigned.
            return (f"{name} is None: it was never set. Store it on self where it is "
                    f"computed (self.{subject.rsplit('.', 1)[1]} = ...).")
        # The most common silent bug in a function exercise: computing, not returning.
        return f"{name} is None. Did the function forget to `return` its result?"
    return None


def _shape_hint(actual, expected):
    """The likely reason two shapes differ, or '' if there is no obvious one."""
    if len(actual) == 2 and actual == expected[::-1]:
        return ("It looks transposed: samples are rows, so check the order of a matrix "
                "product or a missing/extra `.T`.")
    if len(expected) == 2 and len(actual) == 1 and actual[0] in expected and 1 in expected:
        return ("A 1-D array came back where a 2-D row or column was expected: keep the "
                "dimension (for example `keepdims=True` in sum/max, or `.reshape`).")
    if len(actual) == 2 and len(expected) == 1 and expected[0] in actual and 1 in actual:
        return "An extra dimension of length 1: a 1-D array was expected."
    if actual == () and expected != ():
        return "A single number came back where an array was expected: was everything summed up?"
    if expected == () and actual != ():
        return "An array came back where a single number was expected."
    if math.prod(actual) == math.prod(expected):
        return "Same number of entries, arranged differently: check any reshape or axis argument."
    return ""


def shape_message(name, actual, expected, hints=""):
    """The wrong-shape message; ``hints`` (a matched known mistake) replaces the generic hint."""
    hint = "" if hints else _shape_hint(actual, expected)
    return f"{name} has the wrong shape: expected {expected}, got {actual}." + (
        f"\n  Hint: {hint}" if hint else hints)


def index_of(flat, shape):
    """Plain-int index tuple of the ``flat``-th entry of an array of ``shape``."""
    return tuple(int(i) for i in _unravel_index(flat, shape)) if shape else ()


def as_float_array(value):
    """``value`` as a float array, or None if it is not numeric data."""
    if value is None or isinstance(value, (str, bytes, dict)):  # np.asarray("1.5", float) would succeed
        return None
    try:
        return _asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def wrong_hint(actual, wrong, rtol, atol):
    """The hint of the first known wrong answer that ``actual`` matches, or ''."""
    with _errstate(all="ignore"):
        for wrong_value, hint in wrong or ():
            candidate = as_float_array(wrong_value)
            if (candidate is not None and candidate.shape == actual.shape
                    and _allclose(actual, candidate, rtol=rtol, atol=atol, equal_nan=True)):
                return f"\n  Hint: {hint}"
    return ""


def _ratio_text(ratio):
    """'3', '1/3' or '-1/2' for a whole-number factor or its inverse; None for any other."""
    for value, text in ((ratio, "{}"), (1 / ratio, "1/{}")):
        whole = round(value)
        if whole != 0 and abs(whole) <= 1000 and abs(value - whole) < 1e-9 * max(1, abs(value)):
            sign = "-" if whole < 0 else ""
            return sign + text.format(abs(int(whole)))
    return None


def relation(act, exp, rtol, atol):
    """A plain fact relating a wrong result to the right one ('' if none is obvious).

    Named here: a constant factor (a missing or doubled 1/m shows up as "m x"),
    the opposite sign, a transposed result, and all zeros. The misconception
    behind such a fact is the business of the exercise's ``wrong`` list.
    """
    if act.shape != exp.shape:
        if act.ndim == 2 and act.T.shape == exp.shape and \
                _allclose(act.T, exp, rtol=rtol, atol=atol):
            return "It is the transpose of the expected result."
        return ""
    finite = _isfinite(act) & _isfinite(exp)
    if not finite.all() or not exp.size:
        return ""
    scale = abs(exp).max()
    if scale == 0:
        return ""
    if not act.any():
        return "It is all zeros."
    big = abs(exp) > 1e-6 * scale
    ratios = act[big] / exp[big]
    ratio = float(ratios.flat[0])
    if abs(ratio - 1) > 1e-6 and _allclose(ratios, ratio, rtol=1e-6, atol=0) and \
            _allclose(act, ratio * exp, rtol=rtol, atol=atol):
        if abs(ratio + 1) < 1e-9:
            return "It is the expected value with the opposite sign."
        text = _ratio_text(ratio)
        if text is not None:  # a factor such as 3 or 1/3 hints at m; 1.0637 hints at nothing
            return f"It is {text} \u00d7 the expected value."
    return ""



INPLACE_HINT = ("leave the caller's array alone: an in-place operation (`Z -= ...`, "
                 "`Z[mask] = 0`, `+=`, `out=`) on an argument changes it for the caller too. "
                 "Compute a new array instead (e.g. `Z - m`, `np.where(...)`), or work on a "
                 "`.copy()`.")




# Learner code that raises inside a ``Checks`` block keeps its exception (type,
# message and traceback into their own code); a likely cause is added as a note,
# which Python and IPython print as the last line. Patterns: (exception type,
# words of the message, hint).
_ERROR_HINTS = (
    (ValueError, ("matmul", "not aligned"),
     "the shapes do not fit a matrix product (the columns of the left factor must match "
     "the rows of the right one). Samples are rows here: X is (m, n_in), W is "
     "(n_in, n_out), so Z = X @ W + b, dW = A_prev.T @ dZ and dA_prev = dZ @ W.T. "
     "Look for a transposed operand (a missing or extra `.T`) or swapped factors."),
    (ValueError, ("could not be broadcast",),
     "two arrays with incompatible shapes were combined entry by entry. Often a sum or max "
     "lost its axis (use keepdims=True), a bias has the wrong shape (b is (1, n_out)), "
     "or one array is transposed."),
    (ValueError, ("truth value of an array",),
     "`if`, `and`, `or`, `max()` and `min()` work on single numbers; for arrays use "
     "np.where, np.maximum/np.minimum, or a mask such as `Z > 0`."),
    (TypeError, ("can't multiply sequence", "for @: 'list'", "for -: 'list'",
                 "for /: 'list'", "for *: 'list'"),
     "the inputs can be plain Python lists, which do not do arithmetic entry by entry: "
     "convert them with np.asarray(...), or use np.dot, which accepts lists."),
    (TypeError, ("'NoneType'",),
     "something is None: a function that should return a value has no `return`, or an "
     "attribute was never set."),
    (TypeError, ("positional argument", "unexpected keyword argument"),
     "keep the signature given in the exercise (names, order and defaults of the "
     "parameters): the tests call it exactly like that."),
    (AttributeError, ("'NoneType' object has no attribute",),
     "something is None: a function that should return a value has no `return`, or an "
     "attribute was left as None (for example the activation when none is given)."),
    (AttributeError, ("object has no attribute",),
     "an attribute is read before it was set: store what a later method needs on self "
     "(in __init__, or in forward for what backward uses)."),
    (IndexError, ("out of bounds",),
     "an index is out of range: indices start at 0, so the last of n entries is n - 1 "
     "(class labels run from 0 to n_classes - 1)."),
    (IndexError, ("only integers", "must be of integer", "arrays used as indices"),
     "an index is not an integer: convert labels with .astype(int) before indexing."),
    (ZeroDivisionError, ("",),
     "a division by zero: keep the denominator away from 0 (a small floor such as "
     "np.maximum(1e-8, ...))."),
)


def explain_error(error):
    """The likely cause of an exception raised by a learner's code, or ''.

    Parameters
    ----------
    error : BaseException

    Returns
    -------
    str
        A hint for common shape, type and indexing errors; '' when none applies.
    """
    text = str(error)
    for kind, words, hint in _ERROR_HINTS:
        if isinstance(error, kind) and any(word in text for word in words):
            return hint
    return ""


_WARNING_HINTS = (
    ("overflow encountered in exp",
     "np.exp overflows for arguments above about 709. Rearrange the formula so that np.exp "
     "only sees numbers <= 0: subtract each row's max before a softmax, use exp(-|z|) "
     "for a sigmoid."),
    ("divide by zero encountered in log",
     "np.log(0) is -inf: clip the probabilities to [1e-7, 1 - 1e-7] before taking the log."),
    ("encountered in divide",
     "a division by zero (0/0 gives nan): keep the denominator away from 0, e.g. with "
     "np.clip or np.maximum and a small floor."),
    ("invalid value encountered",
     "an invalid operation produced nan (for example inf - inf, 0 * inf or 0/0): check "
     "for an overflow or a log of 0 earlier in the computation."),
    ("overflow encountered",
     "a number grew beyond the float range: check for an overflowing np.exp or power."),
)


def warning_hint(text):
    for words, hint in _WARNING_HINTS:
        if words in text:
            return hint
    return ""


