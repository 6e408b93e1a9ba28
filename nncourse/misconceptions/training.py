"""Known wrong answers of 06_training: turning probabilities into predictions."""
import numpy as np

from ._common import collect, quiet, as_float

__all__ = [
    "predict",
]


@quiet
def predict(probs, classes):
    """Wrong predictions from class probabilities ``probs`` (m, C) and the labels ``classes``."""
    P = as_float(probs)
    classes = np.asarray(classes)
    return collect(
        (lambda: P, "predict returns one class label per sample, not the probabilities: "
                    "take the argmax of each row."),
        (lambda: np.argmax(P, axis=0),
         "argmax over axis=1 (the classes of each sample), not axis=0 (the samples)."),
        (lambda: np.argmax(P, axis=1) if not np.array_equal(classes, np.arange(len(classes)))
         else None,
         "Map the column index back to the label: self.classes_[np.argmax(P, axis=1)]."),
        (lambda: np.max(P, axis=1), "np.max gives the highest probability; np.argmax gives "
                                   "its column, the predicted class."),
        (lambda: classes[np.argmin(P, axis=1)], "argmax, not argmin: the most likely class."),
    )
