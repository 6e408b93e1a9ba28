"""Known wrong answers of 01_neurons: a neuron's weighted sum, and the brain analogy."""
import itertools

import numpy as np

from ._common import collect, quiet, as_float

__all__ = [
    "neuron", "brain_to_ann",
]


@quiet
def neuron(x, w, b):
    """Wrong outputs of one neuron ``sum(x_i * w_i) + b`` (loop or vectorised)."""
    x, w, b = as_float(x), as_float(w), float(b)
    dot = float(np.sum(x * w))
    return collect(
        (lambda: dot, "The bias b is missing: add it once, after the loop."),
        (lambda: dot + len(x) * b,
         f"The bias was added once per input ({len(x)} times): add it once, after the loop."),
        (lambda: float(x[0] * w[0]) + b,
         "Only the first input counts: is the `return` inside the loop? Return after the "
         "loop has added up every x_i * w_i."),
        (lambda: float(x[-1] * w[-1]) + b,
         "Only the last input counts: `total = x_i * w_i` replaces the running sum; "
         "accumulate with `total += x_i * w_i`."),
        (lambda: float(x.sum() * w.sum()) + b,
         "That multiplies the sum of the inputs by the sum of the weights; a neuron adds up "
         "the products x_i * w_i."),
        (lambda: float(np.sum(x + w)) + b,
         "That adds each input to its weight; a neuron multiplies them: sum of x_i * w_i."),
        (lambda: dot * b, "The bias is added to the weighted sum, not multiplied with it."),
        (lambda: dot - b, "The bias is added (+ b), not subtracted."),
    )


_BRAIN_MEANING = {
    "synapse": ("weight", "a synapse is the junction whose strength scales a signal: the weight"),
    "dendrite": ("input", "dendrites receive the signals arriving at a neuron: the inputs"),
    "soma": ("node", "the soma (cell body) adds the signals up: the node"),
    "axon": ("output", "the axon carries the neuron's signal away: the output"),
}


@quiet
def brain_to_ann():
    """Every wrong one-to-one mapping of the four parts, with the parts it gets wrong."""
    keys = list(_BRAIN_MEANING)
    values = [_BRAIN_MEANING[k][0] for k in keys]
    found = []
    for perm in itertools.permutations(values):
        if list(perm) == values:
            continue
        mapping = dict(zip(keys, perm))
        wrong = [k for k in keys if mapping[k] != _BRAIN_MEANING[k][0]]
        hint = "; ".join(_BRAIN_MEANING[k][1] for k in wrong) + "."
        found.append((mapping, hint[0].upper() + hint[1:]))
    return found
