"""Known wrong answers of 04_loss: one-hot labels, cross-entropy and its gradients."""
import numpy as np

from ._common import collect, quiet, as_float

__all__ = [
    "one_hot", "categorical_crossentropy", "crossentropy_gradient",
    "softmax_crossentropy_gradient",
]


@quiet
def one_hot(y, n_classes):
    """Wrong one-hot encodings of integer labels ``y``."""
    y = np.asarray(y).astype(int)
    eye = np.eye(n_classes)
    return collect(
        (lambda: eye[y - 1],
         "The classes are off by one: label k puts its 1 in column k (labels start at 0)."),
        (lambda: np.eye(n_classes + 1)[y + 1][:, :n_classes],
         "The classes are off by one: label k puts its 1 in column k, not k + 1."),
        (lambda: eye[y].T, "The result is transposed: one ROW per sample, (m, n_classes)."),
        (lambda: np.eye(int(y.max()) + 1)[y],
         "Use n_classes for the number of columns, not max(y) + 1: a batch need not contain "
         "every class."),
        (lambda: 1.0 - eye[y], "The 1 marks the true class; every other entry is 0."),
    )


def _clip(p):
    return np.clip(as_float(p), 1e-7, 1 - 1e-7)


@quiet
def categorical_crossentropy(target, output):
    """Wrong per-sample cross-entropies ``-sum_c target * log(clip(output))``."""
    T_, P = as_float(target), as_float(output)
    Pc = _clip(P)
    m, C = T_.shape
    right = -np.sum(T_ * np.log(Pc), axis=1)
    return collect(
        (lambda: -np.sum(T_ * np.log(P), axis=1),
         "Clip the output to [1e-7, 1 - 1e-7] before the log: log(0) is -inf."),
        (lambda: -np.sum(T_ * np.log(np.clip(P, 1e-7, None)), axis=1),
         "Clip the upper end too: to 1 - 1e-7."),
        (lambda: -np.sum(T_ * np.log(np.clip(P, 1e-8, 1 - 1e-8)), axis=1),
         "Clip to [1e-7, 1 - 1e-7], not another epsilon."),
        (lambda: -np.sum(T_ * np.log(np.clip(P, 1e-15, 1 - 1e-15)), axis=1),
         "Clip to [1e-7, 1 - 1e-7], not another epsilon."),
        (lambda: -np.sum(T_ * np.log10(Pc), axis=1), "Use the natural log np.log, not np.log10."),
        (lambda: np.sum(T_ * np.log(Pc), axis=1), "The loss has a minus sign in front of the sum."),
        (lambda: -np.sum(Pc * np.log(np.clip(T_, 1e-7, 1 - 1e-7)), axis=1),
         "The log is of the predicted probabilities (output), weighted by the target: "
         "-sum target * log(output); the arguments are swapped."),
        (lambda: -np.sum(T_ * np.log(1 - Pc), axis=1),
         "The log is of output, not of 1 - output (that term belongs to binary cross-entropy)."),
        (lambda: -np.sum((1 - T_) * np.log(1 - Pc) + T_ * np.log(Pc), axis=1),
         "That is binary cross-entropy summed over the classes; categorical cross-entropy "
         "is -sum target * log(output)."),
        (lambda: -np.mean(T_ * np.log(Pc), axis=1),
         f"Sum over the {C} classes (np.sum), do not average over them."),
        (lambda: -np.sum(T_ * np.log(Pc), axis=0),
         "Sum over the classes (axis=1), one loss per sample; axis=0 sums over the samples."),
        (lambda: float(np.mean(right)),
         "Return one loss per sample, shape (m,); the mean over the batch is taken later."),
        (lambda: float(np.sum(right)),
         "Return one loss per sample, shape (m,): sum over the classes only (axis=1)."),
        (lambda: -np.log(Pc[np.arange(m), T_.argmax(axis=1)]) if not np.allclose(
            T_.sum(axis=1), T_.max(axis=1)) else None,
         "Picking the probability of the argmax class only works for one-hot targets; "
         "-sum target * log(output) also handles soft targets."),
    )


@quiet
def crossentropy_gradient(target, output):
    """Wrong gradients of the mean cross-entropy w.r.t. the probabilities."""
    T_, P = as_float(target), as_float(output)
    m, C = T_.shape
    Pc = _clip(P)
    right = -T_ / Pc / m
    return collect(
        (lambda: right * m,
         f"It is {m} \u00d7 the expected value, with m = {m} samples: the loss is the MEAN over "
         "the batch, so divide by m (the number of rows)."),
        (lambda: right / m,
         f"It is 1/{m} \u00d7 the expected value, with m = {m} samples: divide by m once."),
        (lambda: -right, "Mind the sign: the derivative of -log p is -1/p."),
        (lambda: -T_ / P / m,
         "Clip the output to [1e-7, 1 - 1e-7] before dividing: a probability of 0 gives "
         "a division by zero."),
        (lambda: -T_ / Pc / C,
         f"Divide by the number of samples m = {m} (rows), not by the number of classes C = {C}."),
        (lambda: (P - T_) / m,
         "(output - target) / m is the gradient with respect to the softmax *input*; here "
         "the derivative with respect to the probabilities is asked: -target / output / m."),
        (lambda: -T_ * np.log(Pc) / m,
         "That is the loss itself, not its gradient: d(-t log p)/dp = -t / p."),
    )


@quiet
def softmax_crossentropy_gradient(target, probs):
    """Wrong gradients of the mean cross-entropy w.r.t. the softmax input."""
    T_, P = as_float(target), as_float(probs)
    m, C = T_.shape
    right = (P - T_) / m
    return collect(
        (lambda: right * m,
         f"It is {m} \u00d7 the expected value, with m = {m} samples: the loss is the MEAN over "
         "the batch, so divide by m."),
        (lambda: right / m, f"It is 1/{m} \u00d7 the expected value: divide by m = {m} once."),
        (lambda: -right, "It is probs - target, not target - probs."),
        (lambda: (P - T_) / C,
         f"Divide by the number of samples m = {m} (rows), not by the number of classes C = {C}."),
        (lambda: -T_ / _clip(P) / m,
         "That is the gradient with respect to the probabilities; through the softmax it "
         "simplifies to (probs - target) / m."),
    )
