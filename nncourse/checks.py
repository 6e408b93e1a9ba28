"""The checks a graded test cell calls; each raises AssertionError written for a learner.

A failed check says what was checked, what was expected, what came back and, where
it helps, the likely misconception: the known wrong answers of each exercise come
from :mod:`nncourse.misconceptions` and are passed as ``wrong=``; the message names
the first one the learner's result matches. Every check first asks the grading
guard (:mod:`nncourse.guard`) whether the helpers were tampered with.

Examples
--------
>>> from nncourse import testing as T
>>> T.check_close("2 + 2", 2 + 2, 4)
"""
import inspect
import types

from ._originals import (
    asarray as _asarray, isclose as _isclose, isfinite as _isfinite, array_equal as _array_equal,
    shape as _shape, errstate as _errstate, ndarray as _ndarray, generic as _generic, bool_ as _bool,
    integer as _integer,
)
from .feedback import (CheckFailed, INPLACE_HINT, article, as_float_array, fail, fmt, index_of,
                       none_hint, relation, shape_message, SMALL, type_name, wrong_hint)
from .guard import verify as _verify

__all__ = ["check_own", "check_type", "check_shape", "check_close", "check_equal",
           "check_true", "check_unchanged"]


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
        fail(message)


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
    wanted = " or ".join(article(n) for n in names)
    message = none_hint(name, value) or (
        f"{name} should be {wanted}, but it is {article(type_name(value))}: {fmt(value)}")
    if float in _as_tuple(types) and isinstance(value, (int, _integer)) \
            and not isinstance(value, (bool, _bool)):
        message += ("\n  Hint: integer inputs give an integer result; convert the result "
                    "with float(...) so that it is always a float.")
    elif bool in _as_tuple(types) and isinstance(value, str):
        message += "\n  Hint: write True or False without quotes: a string is not a bool."
    elif float in _as_tuple(types) and isinstance(value, (_ndarray, list, tuple)):
        message += ("\n  Hint: a single number was expected, not an array: np.dot of two "
                    "1-D arrays gives one number, and float(...) turns a one-entry result into it.")
    fail(message)


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
        fail(none_hint(name, array))
    try:
        actual = tuple(_shape(array))
    except ValueError:  # ragged nested lists have no shape
        fail(f"{name} is not a rectangular array: {fmt(array)}")
    expected = tuple(shape)
    if actual != expected:
        numeric = as_float_array(array)
        hint = wrong_hint(numeric, wrong, 1e-6, 1e-9) if numeric is not None else ""
        fail(shape_message(name, actual, expected, hint))


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
    act = as_float_array(actual)
    if act is None:
        fail(none_hint(name, actual) or
              f"{name} should be a number or a numpy array, but it is "
              f"{article(type_name(actual))}: {fmt(actual)}")
    hints = wrong_hint(act, wrong, rtol, atol)
    if not hints:  # no known mistake matched: state an obvious relation, if there is one
        with _errstate(all="ignore"):
            fact = relation(act, exp, rtol, atol)
    if act.shape != exp.shape:
        fail(shape_message(name, act.shape, exp.shape, hints) +
              ("" if hints or not fact else f"\n  Note: {fact}"))
    if not hints and fact:
        hints = f"\n  Note: {fact}"

    with _errstate(all="ignore"):  # grading must not emit warnings of its own
        broken = (~_isfinite(act) & _isfinite(exp)).ravel()
        if broken.any():
            where = (f" in {int(broken.sum())} of {act.size} entries (first at index "
                     f"{index_of(int(broken.argmax()), act.shape)})" if act.ndim else "")
            fail(f"{name} is {fmt(act) if act.size <= SMALL else 'nan or inf'}: it contains "
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
    where = (f" at index {index_of(flat, act.shape)} (expected {exp.flat[flat]:.6g}, "
             f"actual {act.flat[flat]:.6g}); {int((~close).sum())} of {act.size} entries "
             "differ" if act.ndim else "")
    fail(f"{name}: values differ (rtol={rtol:g}, atol={atol:g}).\n"
          f"  expected: {fmt(exp)}\n"
          f"  actual:   {fmt(act)}\n"
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
                 f"{index_of(int(bad.argmax()), after.shape)}).")
    fail(f"{name}: the input array was changed by the call.{where}\n"
          f"  before: {fmt(before)}\n  after:  {fmt(after)}\n"
          f"  Hint: {hint or INPLACE_HINT}")



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
        fail(message)


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
        fail(none_hint(name, actual))
    if isinstance(expected, (bool, _bool)):
        if not isinstance(actual, (bool, _bool)):
            fail(f"{name} should be the bool {expected!r} (no quotes), but it is "
                  f"{article(type_name(actual))}: {fmt(actual)}")
    elif isinstance(expected, dict):
        if not isinstance(actual, dict):
            fail(f"{name} should be a dict, but it is {article(type_name(actual))}: {fmt(actual)}")
        problems = [f"missing key {k!r}" for k in expected if k not in actual]
        problems += [f"unexpected key {k!r}" for k in actual if k not in expected]
        problems += [f"{name}[{k!r}] should be {expected[k]!r}, got {actual[k]!r}"
                     for k in expected if k in actual and actual[k] != expected[k]]
        if any(isinstance(k, str) and k != k.strip().lower() and k.strip().lower() in expected
               for k in actual):
            problems.append("the keys are written in lower case, without spaces")
        if problems:
            fail(f"{name} is not right:\n  - " + "\n  - ".join(problems))
        return
    elif isinstance(expected, str):
        if not isinstance(actual, str):
            fail(f"{name} should be a str, but it is {article(type_name(actual))}: {fmt(actual)}")
        if actual != expected:
            hint = ("\n  Hint: they differ only in upper/lower case or spaces."
                    if actual.strip().lower() == expected.strip().lower() else "")
            fail(f"{name} should be {expected!r}, got {actual!r}." + hint)
        return
    if isinstance(expected, _ndarray) or isinstance(actual, _ndarray):
        act, exp = _asarray(actual), _asarray(expected)
        if act.shape != exp.shape:
            fail(shape_message(name, act.shape, exp.shape))
        if not _array_equal(act, exp):
            bad = _asarray(act != exp).ravel()
            first = index_of(int(bad.argmax()), act.shape)
            fail(f"{name}: {int(bad.sum())} of {act.size} entries differ "
                  f"(first at index {first}).\n  expected: {fmt(exp)}\n  actual:   {fmt(act)}")
        return
    try:
        same = bool(actual == expected)
    except (TypeError, ValueError):  # e.g. comparing a list with an array
        same = False
    if not same:
        fail(f"{name} should be {expected!r}, got {fmt(actual)} ({type_name(actual)}).")


def _is_stub(function):
    """True for a function whose only effect is ``raise NotImplementedError``.

    A released exercise keeps the signature and docstring, with a body that only
    raises; such code names nothing but NotImplementedError.
    """
    code = getattr(function, "__code__", None)
    return code is not None and set(code.co_names) == {"NotImplementedError"}


# Where an answer must not come from: what it would be copied from.
_COURSE_CODE = {"nnlib": "the course's reference solution", "nncourse": "the course's own code"}


def check_own(obj, name):
    """Check that ``obj`` was written by the learner.

    Fails when ``obj`` is None, comes from (or inherits from) ``nnlib``, the
    reference solution, or ``nncourse``, or still is the released stub that raises
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
        fail(f"{name} is None: assign your answer to {name} in the answer cell and run it.")
    target = inspect.unwrap(obj) if callable(obj) else obj
    lineage = target.__mro__ if isinstance(target, type) else (type(target), target)
    for item in lineage:
        module = getattr(item, "__module__", None) or ""
        package = module.split(".")[0]
        if package in _COURSE_CODE:
            fail(f"{name} comes from {package}, {_COURSE_CODE[package]}. Write your "
                 f"own {name} in the answer cell instead of importing or subclassing it.")
    if isinstance(target, types.FunctionType) and _is_stub(target):
        fail(f"{name} still raises NotImplementedError: replace that line with your code.")
    if isinstance(target, type):
        stubs = [k for k, v in vars(target).items()
                 if isinstance(v, types.FunctionType) and _is_stub(v)]
        if stubs:
            fail(f"{name} still has methods that raise NotImplementedError: "
                  f"{', '.join(stubs)}. Replace those lines with your code.")


