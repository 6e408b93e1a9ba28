"""Checks used by the notebooks' graded test cells.

Every check raises ``AssertionError`` with a message written for a learner:
what was checked, what was expected, what came back and, where it helps, the
likely misconception. The known wrong answers of each exercise are computed by
the functions of :mod:`nnlib.misconceptions`, available here as ``mistakes``
(``T.mistakes`` in the notebooks) and passed to a check as ``wrong=``; the
message names the first one the learner's result matches.

What a learner sees is the line of their test cell and then the message: frames
in this module set ``__tracebackhide__`` (pytest and IPython skip them), and the
exception renders its own traceback in IPython without them. ``Checks`` collects
every failure of a cell into one message; an error raised by the learner's code
inside it keeps its traceback and gains a note with the likely cause. Nothing
here writes to stderr: ``Checks.call`` turns a numpy warning (which nbgrader
would count as stderr output, scoring 0) into a named failure. The one exception
is ``guard()``, called at the end of each notebook's locked setup cell: when
learner code replaces numpy's, nnlib's or these checks' functions, or the names
the setup cell defined, it says so on stderr in every later cell, so no test
passes on replaced helpers.

Examples
--------
>>> import numpy as np
>>> from nnlib import testing as T
>>> T.check_close("2 + 2", 2 + 2, 4)
>>> with T.Checks("doubling") as c:
...     ok = c.close("double([1, 2])", np.array([1, 2]) * 2, [2, 4])
"""
import ast
import builtins
import contextlib
import inspect
import io
import linecache
import math
import sys
import types
import warnings

import numpy as np
import numpy.testing  # noqa: F401  (the grading guard watches it too)

from . import misconceptions as mistakes

# Captured at import time: a learner who later rebinds ``np.allclose`` (or any
# of these) in the notebook must not change how their work is graded.
_asarray = np.asarray
_isclose = np.isclose
_allclose = np.allclose
_isfinite = np.isfinite
_array_equal = np.array_equal
_array2string = np.array2string
_unravel_index = np.unravel_index
_shape = np.shape
_errstate = np.errstate
_ndarray = np.ndarray
_generic = np.generic
_bool = np.bool_
_integer = np.integer

__all__ = ["check_own", "check_type", "check_shape", "check_close", "check_equal",
           "check_true", "check_unchanged", "Checks", "quiet", "explain_error", "mistakes",
           "guard"]

_SMALL = 24  # arrays with at most this many entries are printed in full


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


def _fail(message):
    __tracebackhide__ = True
    # ``from None``: the learner needs our message, not the chain that led to it.
    raise CheckFailed(message) from None


def _fmt(value):
    """Short text for a value: small arrays in full, big ones summarised."""
    if isinstance(value, (_ndarray, _generic)) and getattr(value, "size", 1) > _SMALL:
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


def _type_name(value):
    return "None" if value is None else type(value).__name__


def _a(word):
    """The word with its indefinite article: 'a float', 'an int'."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _none_hint(name, value):
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


def _shape_message(name, actual, expected, hints=""):
    """The wrong-shape message; ``hints`` (a matched known mistake) replaces the generic hint."""
    hint = "" if hints else _shape_hint(actual, expected)
    return f"{name} has the wrong shape: expected {expected}, got {actual}." + (
        f"\n  Hint: {hint}" if hint else hints)


def _index(flat, shape):
    """Plain-int index tuple of the ``flat``-th entry of an array of ``shape``."""
    return tuple(int(i) for i in _unravel_index(flat, shape)) if shape else ()


def _as_float_array(value):
    """``value`` as a float array, or None if it is not numeric data."""
    if value is None or isinstance(value, (str, bytes, dict)):  # np.asarray("1.5", float) would succeed
        return None
    try:
        return _asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _wrong_hint(actual, wrong, rtol, atol):
    """The hint of the first known wrong answer that ``actual`` matches, or ''."""
    with _errstate(all="ignore"):
        for wrong_value, hint in wrong or ():
            candidate = _as_float_array(wrong_value)
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


def _relation(act, exp, rtol, atol):
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


def check_true(condition, message):
    """Raise ``AssertionError(message)`` unless ``condition`` holds.

    Parameters
    ----------
    condition : bool or array_like
        Arrays count as true only when every entry is true.
    message : str
        What the learner reads when the check fails.
    """
    __tracebackhide__ = True
    _verify()
    if isinstance(condition, (_ndarray, _generic)):
        condition = bool(_asarray(condition).all())
    if not condition:
        _fail(message)


def check_type(name, value, types):
    """Check ``isinstance(value, types)``.

    Parameters
    ----------
    name : str
        How the value is called in the message, e.g. ``"neuron(x, w, b)"``.
    value : object
        The value to check.
    types : type or tuple of type
        The accepted types.
    """
    __tracebackhide__ = True
    _verify()
    if isinstance(value, types):
        return
    wanted = types if isinstance(types, tuple) else (types,)
    names = dict.fromkeys(t.__name__ for t in wanted)  # np.bool_ is also called "bool"
    wanted = " or ".join(_a(n) for n in names)
    message = _none_hint(name, value) or (
        f"{name} should be {wanted}, but it is {_a(_type_name(value))}: {_fmt(value)}")
    if float in _as_tuple(types) and isinstance(value, (int, _integer)) \
            and not isinstance(value, (bool, _bool)):
        message += ("\n  Hint: integer inputs give an integer result; convert the result "
                    "with float(...) so that it is always a float.")
    elif bool in _as_tuple(types) and isinstance(value, str):
        message += "\n  Hint: write True or False without quotes: a string is not a bool."
    elif float in _as_tuple(types) and isinstance(value, (_ndarray, list, tuple)):
        message += ("\n  Hint: a single number was expected, not an array: np.dot of two "
                    "1-D arrays gives one number, and float(...) turns a one-entry result into it.")
    _fail(message)


def _as_tuple(types):
    """``types`` as a tuple."""
    return types if isinstance(types, tuple) else (types,)


def check_shape(name, array, shape, wrong=None):
    """Check ``np.shape(array) == shape``, with a hint about the likely cause.

    Parameters
    ----------
    name : str
        How the array is called in the message.
    array : array_like
        The array to check.
    shape : tuple of int
        The expected shape.
    wrong : list of (array_like, str), optional
        Known wrong answers, as for :func:`check_close`; the hint of the first
        one that ``array`` matches (shape and values) replaces the generic one.
    """
    __tracebackhide__ = True
    _verify()
    if array is None:
        _fail(_none_hint(name, array))
    try:
        actual = tuple(_shape(array))
    except ValueError:  # ragged nested lists have no shape
        _fail(f"{name} is not a rectangular array: {_fmt(array)}")
    expected = tuple(shape)
    if actual != expected:
        numeric = _as_float_array(array)
        hint = _wrong_hint(numeric, wrong, 1e-6, 1e-9) if numeric is not None else ""
        _fail(_shape_message(name, actual, expected, hint))


def check_close(name, actual, expected, rtol=1e-6, atol=1e-9, wrong=None):
    """Check that ``actual`` is numerically close to ``expected``.

    The checks run in order: numeric array-like, shape, finite where the
    expected value is finite, then values (``|actual - expected| <=
    atol + rtol * |expected|``).

    Parameters
    ----------
    name : str
        What was computed, e.g. ``"sigmoid.forward([[-1, 0, 2]])"``.
    actual, expected : array_like
        The learner's result and the correct one.
    rtol, atol : float
        Relative and absolute tolerance.
    wrong : list of (array_like, str), optional
        Known wrong answers with the misconception behind each, usually made by
        a function of :mod:`nnlib.misconceptions` from the same inputs. The hint
        of the first one that ``actual`` matches is appended to the message;
        without a match, an obvious relation (a constant factor, the opposite
        sign, a transpose) is stated instead.
    """
    __tracebackhide__ = True
    _verify()
    exp = _asarray(expected, dtype=float)
    act = _as_float_array(actual)
    if act is None:
        _fail(_none_hint(name, actual) or
              f"{name} should be a number or a numpy array, but it is "
              f"{_a(_type_name(actual))}: {_fmt(actual)}")
    hints = _wrong_hint(act, wrong, rtol, atol)
    if not hints:  # no known mistake matched: state an obvious relation, if there is one
        with _errstate(all="ignore"):
            fact = _relation(act, exp, rtol, atol)
    if act.shape != exp.shape:
        _fail(_shape_message(name, act.shape, exp.shape, hints) +
              ("" if hints or not fact else f"\n  Note: {fact}"))
    if not hints and fact:
        hints = f"\n  Note: {fact}"

    with _errstate(all="ignore"):  # grading must not emit warnings of its own
        broken = (~_isfinite(act) & _isfinite(exp)).ravel()
        if broken.any():
            where = (f" in {int(broken.sum())} of {act.size} entries (first at index "
                     f"{_index(int(broken.argmax()), act.shape)})" if act.ndim else "")
            _fail(f"{name} is {_fmt(act) if act.size <= _SMALL else 'nan or inf'}: it contains "
                  f"nan or inf{where} where a finite number was expected. "
                  "This usually comes from an overflow in np.exp, a log of 0 or a division "
                  "by zero." + hints)
        close = _isclose(act, exp, rtol=rtol, atol=atol, equal_nan=True).ravel()
        if close.all():
            return
        diff = abs(act - exp).ravel()
        diff[~_isfinite(diff)] = float("inf")
        diff[close] = -1.0  # so the location reported is always a failing entry
        flat = int(diff.argmax())
    where = (f" at index {_index(flat, act.shape)} (expected {exp.flat[flat]:.6g}, "
             f"actual {act.flat[flat]:.6g}); {int((~close).sum())} of {act.size} entries "
             "differ" if act.ndim else "")
    _fail(f"{name}: values differ (rtol={rtol:g}, atol={atol:g}).\n"
          f"  expected: {_fmt(exp)}\n"
          f"  actual:   {_fmt(act)}\n"
          f"  largest absolute difference: {diff[flat]:.6g}{where}." + hints)


def check_unchanged(name, array, original, hint=None):
    """Check that an input array still holds its original values after a call.

    Parameters
    ----------
    name : str
        The argument, e.g. ``"Z after forward(Z)"``.
    array : ndarray
        The array that was passed to the learner's code.
    original : ndarray
        A copy taken before the call.
    hint : str, optional
        Replaces the default hint (which is about in-place operations).
    """
    __tracebackhide__ = True
    _verify()
    after, before = _asarray(array), _asarray(original)
    if after.shape == before.shape and _array_equal(after, before, equal_nan=True):
        return
    where = ""
    if after.shape == before.shape:
        with _errstate(all="ignore"):
            bad = _asarray(~((after == before) | ((after != after) & (before != before)))).ravel()
        where = (f" {int(bad.sum())} of {after.size} entries were overwritten (first at index "
                 f"{_index(int(bad.argmax()), after.shape)}).")
    _fail(f"{name}: the input array was changed by the call.{where}\n"
          f"  before: {_fmt(before)}\n  after:  {_fmt(after)}\n"
          f"  Hint: {hint or _INPLACE_HINT}")


_INPLACE_HINT = ("leave the caller's array alone: an in-place operation (`Z -= ...`, "
                 "`Z[mask] = 0`, `+=`, `out=`) on an argument changes it for the caller too. "
                 "Compute a new array instead (e.g. `Z - m`, `np.where(...)`), or work on a "
                 "`.copy()`.")


def check_equal(name, actual, expected, wrong=None):
    """Check exact equality (ints, strings, bools, dicts, integer arrays).

    A ``bool`` is only equal to a bool (``"False"`` or ``0`` is not ``False``);
    dicts are compared key by key; arrays by shape, then entry by entry.

    Parameters
    ----------
    name : str
        How the value is called in the message.
    actual, expected : object
        The learner's value and the correct one.
    wrong : list of (object, str), optional
        Known wrong answers and the misconception behind each; the hint of the
        first one equal to ``actual`` is added to the message.
    """
    __tracebackhide__ = True
    _verify()
    try:
        _equal_checks(name, actual, expected)
    except CheckFailed as error:
        message = str(error)
        for wrong_value, hint in wrong or ():
            if _same(actual, wrong_value):
                message += f"\n  Hint: {hint}"
                break
        _fail(message)


def _same(a, b):
    """Exact equality that never raises (arrays compared as a whole)."""
    try:
        if isinstance(a, (_ndarray, _generic)) or isinstance(b, (_ndarray, _generic)):
            return _asarray(a).shape == _asarray(b).shape and bool(_array_equal(a, b))
        return type(a) is type(b) and bool(a == b)
    except Exception:
        return False


def _equal_checks(name, actual, expected):
    __tracebackhide__ = True
    if actual is None and expected is not None:
        _fail(_none_hint(name, actual))
    if isinstance(expected, (bool, _bool)):
        if not isinstance(actual, (bool, _bool)):
            _fail(f"{name} should be the bool {expected!r} (no quotes), but it is "
                  f"{_a(_type_name(actual))}: {_fmt(actual)}")
    elif isinstance(expected, dict):
        if not isinstance(actual, dict):
            _fail(f"{name} should be a dict, but it is {_a(_type_name(actual))}: {_fmt(actual)}")
        problems = [f"missing key {k!r}" for k in expected if k not in actual]
        problems += [f"unexpected key {k!r}" for k in actual if k not in expected]
        problems += [f"{name}[{k!r}] should be {expected[k]!r}, got {actual[k]!r}"
                     for k in expected if k in actual and actual[k] != expected[k]]
        if any(isinstance(k, str) and k != k.strip().lower() and k.strip().lower() in expected
               for k in actual):
            problems.append("the keys are written in lower case, without spaces")
        if problems:
            _fail(f"{name} is not right:\n  - " + "\n  - ".join(problems))
        return
    elif isinstance(expected, str):
        if not isinstance(actual, str):
            _fail(f"{name} should be a str, but it is {_a(_type_name(actual))}: {_fmt(actual)}")
        if actual != expected:
            hint = ("\n  Hint: they differ only in upper/lower case or spaces."
                    if actual.strip().lower() == expected.strip().lower() else "")
            _fail(f"{name} should be {expected!r}, got {actual!r}." + hint)
        return
    if isinstance(expected, _ndarray) or isinstance(actual, _ndarray):
        act, exp = _asarray(actual), _asarray(expected)
        if act.shape != exp.shape:
            _fail(_shape_message(name, act.shape, exp.shape))
        if not _array_equal(act, exp):
            bad = _asarray(act != exp).ravel()
            first = _index(int(bad.argmax()), act.shape)
            _fail(f"{name}: {int(bad.sum())} of {act.size} entries differ "
                  f"(first at index {first}).\n  expected: {_fmt(exp)}\n  actual:   {_fmt(act)}")
        return
    try:
        same = bool(actual == expected)
    except (TypeError, ValueError):  # e.g. comparing a list with an array
        same = False
    if not same:
        _fail(f"{name} should be {expected!r}, got {_fmt(actual)} ({_type_name(actual)}).")


def _is_stub(function):
    """True for a function whose only effect is ``raise NotImplementedError``.

    A released exercise keeps the signature and docstring, with a body that only
    raises; such code names nothing but NotImplementedError.
    """
    code = getattr(function, "__code__", None)
    return code is not None and set(code.co_names) == {"NotImplementedError"}


def check_own(obj, name):
    """Check that ``obj`` was written by the learner.

    Fails when ``obj`` is None, comes from (or inherits from) ``nnlib``, the
    reference solution, or still is the released stub that raises
    NotImplementedError.

    Parameters
    ----------
    obj : object
        The learner's function, class or value.
    name : str
        Its name in the notebook.
    """
    __tracebackhide__ = True
    _verify()
    if obj is None:
        _fail(f"{name} is None: assign your answer to {name} in the answer cell and run it.")
    target = inspect.unwrap(obj) if callable(obj) else obj
    lineage = target.__mro__ if isinstance(target, type) else (type(target), target)
    for item in lineage:
        module = getattr(item, "__module__", None) or ""
        if module == "nnlib" or module.startswith("nnlib."):
            _fail(f"{name} comes from nnlib, the course's reference solution. Write your "
                  f"own {name} in the answer cell instead of importing or subclassing it.")
    if isinstance(target, types.FunctionType) and _is_stub(target):
        _fail(f"{name} still raises NotImplementedError: replace that line with your code.")
    if isinstance(target, type):
        stubs = [k for k, v in vars(target).items()
                 if isinstance(v, types.FunctionType) and _is_stub(v)]
        if stubs:
            _fail(f"{name} still has methods that raise NotImplementedError: "
                  f"{', '.join(stubs)}. Replace those lines with your code.")


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


def _warning_hint(text):
    for words, hint in _WARNING_HINTS:
        if words in text:
            return hint
    return ""


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
                f"\n  Hint: {hint or _warning_hint(str(caught[0].message)) or 'avoid it.'}")
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
        _fail("\n".join(lines))


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


# --- grading guard -------------------------------------------------------------
# A notebook's locked setup cell ends with ``T.guard("np", "T", ...)``. From then on
# the guard checks, before and after every cell, that nothing replaced what the tests
# stand on: the functions of numpy, math, the builtins and nnlib (these checks
# included), the names listed (np, T, REF, ...) and IPython's error reporting.
# If something was, it writes a message to stderr, which nbgrader scores as a
# failed test cell, and every check in this module raises. The numpy, math and
# builtins originals are captured here, at import time: in a graded notebook that
# is the setup cell, before any learner code has run.

def _callables(module, skip=()):
    """The functions, classes and submodules in a module's namespace."""
    return {key: value for key, value in vars(module).items()
            if key not in skip and (callable(value) or isinstance(value, types.ModuleType))}


# Builtins that IPython and ipykernel themselves set or replace while running cells.
_BUILTINS_SKIP = frozenset({"_", "__", "___", "input", "display", "get_ipython", "exit", "quit",
                            "help", "copyright", "credits", "license", "open", "breakpoint"})
_GUARDED = {"np": np, "np.testing": np.testing, "np.linalg": np.linalg, "np.random": np.random,
            "math": math, "builtins": builtins}
_ORIGINALS = {label: _callables(module, _BUILTINS_SKIP if module is builtins else ())
              for label, module in _GUARDED.items()}
# Checked for having been replaced before this module was imported.
_EARLY = {f"np.{name}": getattr(np, name) for name in
          ("allclose", "isclose", "array_equal", "asarray", "array", "isfinite")}
# IPython methods that run cells and show errors: replacing one can hide a failed test.
_SHELL_ATTRS = ("showtraceback", "_showtraceback", "showsyntaxerror", "run_cell", "run_cell_async",
                "run_ast_nodes", "run_code", "CustomTB", "events")
# Modules whose event callbacks may come and go (plot backends, widgets, nnlib itself).
_CALLBACK_OWNERS = ("matplotlib", "IPython", "ipykernel", "ipywidgets", "comm", "nnlib")
# The errors whose message a grading sandbox extends with the limit that caused them
# (a MemoryError names the memory limit, ...): its own handler, not a learner's.
_SANDBOX_EXCEPTIONS = (MemoryError, OSError, RuntimeError)
_MISSING = object()
_THIS = sys.modules[__name__]
_GUARD = None


class _Guard:
    """What guard() protects, and the check of all of it."""

    def __init__(self):
        self.modules = dict(_GUARDED)
        self.originals = dict(_ORIGINALS)
        for name, module in list(sys.modules.items()):
            if (name == "nnlib" or name.startswith("nnlib.")) and module is not None:
                self.modules[name] = module
                self.originals[name] = _callables(module)
        self.sys_modules = {module.__name__: module for module in self.modules.values()}
        self.checks_class = dict(vars(Checks))
        self.namespace, self.names, self.arrays = None, {}, {}
        self.shell, self.shell_attrs, self.callbacks = None, {}, {}
        self.stderr = sys.stderr

    def protect(self, namespace, names):
        """Remember the current values of these names (and copies of arrays)."""
        self.namespace = namespace
        for name in names:
            if name in namespace and not name.startswith("_"):
                self.names[name] = namespace[name]
                if isinstance(namespace[name], _ndarray):
                    self.arrays[name] = namespace[name].copy()

    def install(self, shell):
        """Check before and after every cell of this IPython shell."""
        if self.shell is shell:
            return
        self.shell = shell
        self.shell_attrs = {attr: vars(shell).get(attr, _MISSING) for attr in _SHELL_ATTRS}
        for event in ("pre_execute", "pre_run_cell", "post_execute", "post_run_cell"):
            self.callbacks[event] = list(shell.events.callbacks.get(event, []))
        # Before the cell, so that the message precedes any result nbgrader could score.
        shell.events.register("pre_run_cell", self.report)
        shell.events.register("post_run_cell", self.report)

    def problems(self):
        """Everything that was changed, as short phrases ([] when nothing was)."""
        found = []
        for label, module in self.modules.items():
            now = vars(module)
            shown = "T" if module is _THIS else label
            for key, value in self.originals[label].items():
                current = now.get(key, _MISSING)
                if current is not value:
                    verb = "deleted" if current is _MISSING else "replaced"
                    found.append(f"{shown}.{key} was {verb}")
        if vars(_THIS).get("_GUARD") is not self:
            found.append("the grading guard was switched off")
        for name, module in self.sys_modules.items():
            if sys.modules.get(name) is not module:
                found.append(f"sys.modules[{name!r}] was replaced")
        for key, value in self.checks_class.items():
            if vars(Checks).get(key, _MISSING) is not value:
                found.append(f"T.Checks.{key} was replaced")
        for label, original in _EARLY.items():
            if not str(getattr(original, "__module__", "") or "").startswith("numpy"):
                found.append(f"{label} was replaced before the setup cell ran")
        if self.namespace is not None:
            for name, value in self.names.items():
                current = self.namespace.get(name, _MISSING)
                if current is not value:
                    found.append(f"{name} was {'deleted' if current is _MISSING else 'rebound'}")
                elif name in self.arrays and not _array_equal(current, self.arrays[name]):
                    found.append(f"the values in {name} were changed")
        if self.shell is not None:
            found += self._shell_problems()
        return list(dict.fromkeys(found))

    def _shell_problems(self):
        shell, found = self.shell, []
        if tuple(getattr(shell, "custom_exceptions", ())) not in ((), _SANDBOX_EXCEPTIONS):
            found.append("IPython's error display was replaced (set_custom_exc)")
        for attr, before in self.shell_attrs.items():
            if vars(shell).get(attr, _MISSING) is not before:
                found.append(f"get_ipython().{attr} was replaced")
        callbacks = getattr(getattr(shell, "events", None), "callbacks", {})
        for event, before in self.callbacks.items():
            for callback in callbacks.get(event, []):
                owner = getattr(callback, "__module__", "") or ""
                if callback not in before and callback != self.report \
                        and not owner.startswith(_CALLBACK_OWNERS):
                    found.append(f"a {event} callback was registered")
        for event in ("pre_run_cell", "post_run_cell"):
            if self.report not in callbacks.get(event, []):
                found.append("the grading guard's callback was removed")
        return found

    def report(self, *args):
        """The IPython callback: write what was changed to stderr, which fails a test cell."""
        try:
            found = self.problems()
            if found:
                self.stderr.write(_tampered_message(found) + "\n")
                self.stderr.flush()
        except Exception:  # a fault in the guard must never fail a notebook by itself
            pass


def _tampered_message(found):
    return ("The grading helpers were modified, so no test can be trusted and every test cell from "
            f"here on scores 0: {'; '.join(found)}. Restart the kernel and remove the code that "
            "changes them.")


def _verify():
    """Raise AssertionError when guard() is active and something it protects was changed."""
    __tracebackhide__ = True
    guard_ = _GUARD
    if guard_ is None:
        return
    try:
        found = guard_.problems()
    except Exception:  # a fault in the guard must never fail a check by itself
        return
    if found:
        _fail(_tampered_message(found))


def _names_bound_by(frame):
    """Top-level names bound by the cell (or file) whose code runs in ``frame``."""
    try:
        tree = ast.parse("".join(linecache.getlines(frame.f_code.co_filename)))
    except (SyntaxError, ValueError):
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0]
                         for alias in node.names if alias.name != "*")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def guard(*names):
    """Protect grading from the code that runs after this call (call it in a setup cell).

    In an IPython kernel (Jupyter, nbgrader) this protects ``names`` in the caller's
    namespace (by default every name the calling cell binds at its top level), the
    functions of numpy, math, the builtins and nnlib, and IPython's error display.
    Before and after every later cell it checks them; if anything was replaced it
    writes a message to stderr (nbgrader then scores the cell 0), and every check in
    this module raises AssertionError. Outside IPython it does nothing.

    Parameters
    ----------
    *names : str
        The names the test cells rely on, e.g. ``T.guard("np", "T", "nnlib")``.

    Examples
    --------
    The last line of a setup cell::

        T.guard("np", "T", "nnlib", "Z_TEST")
    """
    global _GUARD
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "events"):
        return
    frame = sys._getframe(1)
    if _GUARD is None:
        _GUARD = _Guard()
    _GUARD.protect(frame.f_globals, sorted(names) if names else sorted(_names_bound_by(frame)))
    _GUARD.install(shell)
