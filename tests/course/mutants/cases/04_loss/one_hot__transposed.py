# exercise: one_hot
# kind: mutant
# family: shapes/transposed
# hint: transposed
# about: one column per sample
def one_hot(y, n_classes):
    Y = np.zeros((n_classes, len(y)))
    Y[y, np.arange(len(y))] = 1.0
    return Y
