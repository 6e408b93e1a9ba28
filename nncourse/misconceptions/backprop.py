"""Known wrong answers of 05_backprop: a layer's gradients, gradient checking and the SGD step."""
import numpy as np

from ._common import collect, quiet_pair, quiet, as_float

__all__ = [
    "linear_backward_dW", "linear_backward_db", "linear_backward_dA_prev", "numerical_gradient",
    "relative_error", "sgd_step",
]


_DW_DIVIDED = ("the 1/m already lives in the loss gradient (the loss is a mean), so the "
               "layer must not divide again: dW = A_prev.T @ dZ.")


@quiet
def linear_backward_dW(A_prev, dZ, Z=None, dA=None):
    """Wrong weight gradients (right: ``A_prev.T @ dZ``).

    ``Z`` (the layer's pre-activation) and ``dA`` (the gradient before the
    activation's backward) add the candidates that use them by mistake.
    """
    A_prev, dZ = as_float(A_prev), as_float(dZ)
    m = A_prev.shape[0]
    right = A_prev.T @ dZ
    found = collect(
        (lambda: right / m,
         f"dW is 1/{m} \u00d7 the expected value, with m = {m} samples: " + _DW_DIVIDED),
        (lambda: right * m,
         f"dW is {m} \u00d7 the expected value, with m = {m} samples: did you multiply by m, "
         "or forget that the loss gradient already holds the 1/m?"),
        (lambda: dZ.T @ A_prev,
         "dW is transposed: dW = A_prev.T @ dZ has the shape of W, (n_in, n_out)."),
        (lambda: A_prev @ dZ.T,
         "dW = A_prev.T @ dZ (the transpose goes on A_prev): it has the shape of W, "
         "(n_in, n_out)."),
    )
    if dA is not None:
        found += collect((lambda: A_prev.T @ as_float(dA),
                           "dW uses dZ = activation.backward(dA); the activation's backward was "
                           "skipped (the gradient dA was used as dZ)."))
    if Z is not None:
        found += collect((lambda: as_float(Z).T @ dZ,
                           "dW uses the layer's INPUT A_prev: dW = A_prev.T @ dZ, not Z.T @ dZ."))
    return found


@quiet
def linear_backward_db(dZ, dA=None):
    """Wrong bias gradients (right: ``dZ.sum(axis=0, keepdims=True)``)."""
    dZ = as_float(dZ)
    m = dZ.shape[0]
    found = collect(
        (lambda: dZ.sum(axis=0),
         "db lost its row dimension: use dZ.sum(axis=0, keepdims=True), shape (1, n_out) "
         "like b."),
        (lambda: dZ.mean(axis=0, keepdims=True),
         f"db is 1/{m} \u00d7 the expected value (mean instead of sum), with m = {m} samples: "
         + _DW_DIVIDED.replace("dW = A_prev.T @ dZ", "db = dZ.sum(axis=0, keepdims=True)")),
        (lambda: dZ.sum(axis=0, keepdims=True) * m,
         f"db is {m} \u00d7 the expected value, with m = {m} samples: sum dZ over the samples, "
         "nothing more."),
        (lambda: dZ.sum(axis=1, keepdims=True),
         "Sum over the samples (axis=0, keepdims=True): one entry per neuron."),
        (lambda: dZ.sum(axis=1),
         "Sum over the samples (axis=0, keepdims=True): one entry per neuron."),
        (lambda: dZ, "db sums dZ over the samples: dZ.sum(axis=0, keepdims=True)."),
        (lambda: float(dZ.sum()), "Sum over the samples only (axis=0, keepdims=True), one "
                                  "entry per neuron, not over everything."),
    )
    if dA is not None:
        found += collect((lambda: as_float(dA).sum(axis=0, keepdims=True),
                           "db uses dZ = activation.backward(dA); the activation's backward was "
                           "skipped."))
    return found


@quiet
def linear_backward_dA_prev(dZ, W, dA=None):
    """Wrong gradients for the previous layer (right: ``dZ @ W.T``)."""
    dZ, W = as_float(dZ), as_float(W)
    m = dZ.shape[0]
    found = collect(
        (lambda: dZ @ W, "dA_prev = dZ @ W.T: the transpose of W is missing."),
        (lambda: dZ @ W.T / m,
         f"dA_prev is 1/{m} \u00d7 the expected value: no 1/m in a layer's backward."),
        (lambda: (dZ @ W.T).T, "dA_prev is transposed: it has the shape of A_prev, (m, n_in)."),
    )
    if dA is not None:
        found += collect((lambda: as_float(dA) @ W.T,
                           "dA_prev = dZ @ W.T with dZ = activation.backward(dA): the "
                           "activation's backward was skipped."))
    return found


@quiet
def numerical_gradient(f, x, h=1e-5):
    """Wrong numerical gradients of ``f()`` w.r.t. ``x`` (changes ``x`` and restores it)."""
    x_arr = x
    original = np.array(x_arr, dtype=float, copy=True)

    def each_entry(delta):
        grad = np.zeros(x_arr.shape)
        for k in np.ndindex(x_arr.shape):
            old = x_arr[k]
            x_arr[k] = old + delta[0]
            plus = f()
            x_arr[k] = old + delta[1]
            minus = f()
            x_arr[k] = old
            grad[k] = (plus - minus) / delta[2]
        return grad

    def run(delta):
        try:
            return each_entry(delta)
        finally:
            x_arr[...] = original  # never leave x changed, whatever f did

    return collect(
        (lambda: run((h, 0.0, h)),
         "Those are forward differences (f(x + h) - f(x)) / h; central differences "
         "(f(x + h) - f(x - h)) / (2h) are asked (error of order h**2 instead of h)."),
        (lambda: run((0.0, -h, h)),
         "Those are backward differences (f(x) - f(x - h)) / h; central differences "
         "(f(x + h) - f(x - h)) / (2h) are asked."),
        (lambda: run((h, -h, h)),
         "It is 2 \u00d7 the expected value: central differences divide by 2h, not h."),
        (lambda: run((h, -h, 1.0)),
         "Divide the difference by 2h: (f(x + h) - f(x - h)) / (2h)."),
        (lambda: np.zeros(x_arr.shape),
         "All zeros: f() never saw the changed x. Change x itself, in place (x[k] = ...), "
         "not a copy; f reads the very array you were given."),
        (lambda: run((1e-5, -1e-5, 2e-5)) if h != 1e-5 else None,
         "Use the step h that was passed in, not a fixed 1e-5."),
    )


@quiet
def relative_error(a, b):
    """Wrong relative errors (right: ``max(|a-b| / maximum(1e-8, |a|+|b|))``)."""
    a, b = as_float(a), as_float(b)
    diff, size = np.abs(a - b), np.abs(a) + np.abs(b)
    return collect(
        (lambda: float(np.max(diff / size)),
         "Without the floor, two zero gradients give 0/0 = nan: divide by "
         "np.maximum(1e-8, |a| + |b|)."),
        (lambda: float(np.mean(diff / np.maximum(1e-8, size))),
         "Take the max over the entries (the worst one), not the mean."),
        (lambda: float(np.max(diff) / np.maximum(1e-8, np.max(size))),
         "Divide entry by entry, then take the max: max(|a - b| / max(1e-8, |a| + |b|))."),
        (lambda: float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a + b)))),
         "The denominator is |a| + |b|, not |a + b|."),
        (lambda: float(np.max((a - b) / np.maximum(1e-8, size))),
         "Take the absolute value of the difference: |a - b|."),
        (lambda: float(np.max(diff / np.maximum(1e-12, size))),
         "The floor is 1e-8: np.maximum(1e-8, |a| + |b|)."),
        (lambda: float(np.max(diff / (size + 1e-8))),
         "The floor is a maximum, np.maximum(1e-8, |a| + |b|), not + 1e-8."),
        (lambda: float(np.max(diff)), "Divide by np.maximum(1e-8, |a| + |b|): the error is relative."),
        (lambda: diff / np.maximum(1e-8, size),
         "Return one number, the largest entry: np.max(...)."),
    )


@quiet_pair
def sgd_step(W, b, dW, db, lr):
    """Wrong parameters after one step ``W - lr * dW`` (returns (W candidates, b candidates))."""
    W, b, dW, db = as_float(W), as_float(b), as_float(dW), as_float(db)
    rules = [
        (lambda p, g: p, "The parameters were not updated at all."),
        (lambda p, g: p + lr * g, "Gradient DEscent subtracts: p -= lr * dp (a plus climbs the loss)."),
        (lambda p, g: p - 2 * lr * g, "lr was applied twice (the step is 2 \u00d7 lr * dp)."),
        (lambda p, g: p - lr * lr * g, "lr was applied twice (lr * lr * dp)."),
        (lambda p, g: p - g, "Multiply the gradient by the learning rate lr."),
        (lambda p, g: p - lr * g / p.shape[0] if p.shape[0] > 1 else None,
         "No 1/m here: the gradients already come from the mean loss."),
        (lambda p, g: -lr * g, "The update is p - lr * dp: the old value p is missing."),
    ]
    w_list = collect(*[(lambda r=r: r[0](W, dW), r[1]) for r in rules])
    b_list = collect(*[(lambda r=r: r[0](b, db), r[1]) for r in rules])
    return w_list, b_list
