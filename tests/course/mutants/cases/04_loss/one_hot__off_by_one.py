# exercise: one_hot
# kind: mutant
# family: loss/one-hot off by one
# hint: off by one
# about: labels treated as 1-based
def one_hot(y, n_classes):
    Y = np.zeros((len(y), n_classes))
    Y[np.arange(len(y)), y - 1] = 1.0
    return Y
