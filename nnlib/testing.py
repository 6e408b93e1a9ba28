"""Checks used by the notebooks' graded test cells.

Every check raises ``AssertionError`` with a message written for a learner:
what was checked, what was expected, what came back and, where it helps, the
likely misconception. Frames in this module set ``__tracebackhide__`` so that
IPython and pytest show the learner's line and the message, not our internals.

Examples
--------
>>> import numpy as np
>>> from nnlib import testing as T
>>> T.check_close("2 + 2", 2 + 2, 4)
>>> with T.Checks("doubling") as c:
...     ok = c.close("double([1, 2])", np.array([1, 2]) * 2, [2, 4])
"""
import contextlib
import inspect
import io
import math
import types
import warnings

import numpy as np

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

__all__ = ["check_own", "check_type", "check_shape", "check_close",
           "check_equal", "check_true", "Checks", "quiet"]

_SMALL = 24  # arrays with at most this many entries are printed in full


def _fail(message):
    __tracebackhide__ = True
    # ``from None``: the learner needs our message, not the chain that led to it.
    raise AssertionError(message) from None


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
    # The most common silent bug in a function exercise: computing, not returning.
    if value is None:
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


def _shape_message(name, actual, expected):
    hint = _shape_hint(actual, expected)
    return f"{name} has the wrong shape: expected {expected}, got {actual}." + (
        f"\n  Hint: {hint}" if hint else "")


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


def _wrong_hints(actual, wrong, rtol, atol):
    """Hints of every known wrong answer that ``actual`` matches."""
    hints = []
    for wrong_value, hint in wrong or ():
        candidate = _as_float_array(wrong_value)
        if (candidate is not None and candidate.shape == actual.shape
                and _allclose(actual, candidate, rtol=rtol, atol=atol, equal_nan=True)):
            hints.append(f"\n  Hint: {hint}")
    return "".join(hints)


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
    if isinstance(value, types):
        return
    wanted = types if isinstance(types, tuple) else (types,)
    names = dict.fromkeys(t.__name__ for t in wanted)  # np.bool_ is also called "bool"
    wanted = " or ".join(_a(n) for n in names)
    message = _none_hint(name, value) or (
        f"{name} should be {wanted}, but it is {_a(_type_name(value))}: {_fmt(value)}")
    _fail(message)


def check_shape(name, array, shape):
    """Check ``np.shape(array) == shape``, with a hint about the likely cause.

    Parameters
    ----------
    name : str
        How the array is called in the message.
    array : array_like
        The array to check.
    shape : tuple of int
        The expected shape.
    """
    __tracebackhide__ = True
    if array is None:
        _fail(_none_hint(name, array))
    try:
        actual = tuple(_shape(array))
    except ValueError:  # ragged nested lists have no shape
        _fail(f"{name} is not a rectangular array: {_fmt(array)}")
    expected = tuple(shape)
    if actual != expected:
        _fail(_shape_message(name, actual, expected))


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
        Known wrong answers with the misconception behind each; the hint of
        every one that ``actual`` matches is appended to the message.
    """
    __tracebackhide__ = True
    exp = _asarray(expected, dtype=float)
    act = _as_float_array(actual)
    if act is None:
        _fail(_none_hint(name, actual) or
              f"{name} should be a number or a numpy array, but it is "
              f"{_a(_type_name(actual))}: {_fmt(actual)}")
    hints = _wrong_hints(act, wrong, rtol, atol)
    if act.shape != exp.shape:
        _fail(_shape_message(name, act.shape, exp.shape) + hints)

    with _errstate(all="ignore"):  # grading must not emit warnings of its own
        broken = (~_isfinite(act) & _isfinite(exp)).ravel()
        if broken.any():
            where = (f" in {int(broken.sum())} of {act.size} entries (first at index "
                     f"{_index(int(broken.argmax()), act.shape)})" if act.ndim else "")
            _fail(f"{name} is {_fmt(act) if act.size <= _SMALL else 'nan or inf'}: it contains "
                  f"nan or inf{where} where a finite number was expected. "
                  "This usually comes from an overflow in np.exp or a division by zero."
                  + hints)
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


def check_equal(name, actual, expected):
    """Check exact equality (ints, strings, bools, dicts, integer arrays).

    A ``bool`` is only equal to a bool (``"False"`` or ``0`` is not ``False``);
    dicts are compared key by key; arrays by shape, then entry by entry.

    Parameters
    ----------
    name : str
        How the value is called in the message.
    actual, expected : object
        The learner's value and the correct one.
    """
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


class Checks:
    """Collect several checks and report every failure at once.

    Parameters
    ----------
    title : str
        Names the group in the combined message.

    Notes
    -----
    Each method runs the module-level check of the same meaning and returns
    True when it passed, so later checks can depend on earlier ones. An
    exception raised by the body itself (NotImplementedError from a stub, a
    NameError, ...) propagates unchanged.
    """

    def __init__(self, title):
        self.title = title
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

    def shape(self, name, array, shape):
        """See :func:`check_shape`."""
        return self._run(check_shape, name, array, shape)

    def type(self, name, value, types):
        """See :func:`check_type`."""
        return self._run(check_type, name, value, types)

    def equal(self, name, actual, expected):
        """See :func:`check_equal`."""
        return self._run(check_equal, name, actual, expected)

    def true(self, condition, message):
        """See :func:`check_true`."""
        return self._run(check_true, condition, message)

    def own(self, obj, name):
        """See :func:`check_own`."""
        return self._run(check_own, obj, name)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        __tracebackhide__ = True
        if exc_type is not None or not self.failures:
            return False  # let the body's own exception through untouched
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

