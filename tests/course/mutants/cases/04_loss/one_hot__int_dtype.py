# exercise: one_hot
# kind: mutant
# family: other/integer dtype
# hint: floats
# about: an integer array
def one_hot(y, n_classes):
    Y = np.zeros((len(y), n_classes), dtype=int)
    Y[np.arange(len(y)), y] = 1
    return Y
