# exercise: one_hot
# kind: mutant
# family: shapes/number of classes from the data
# hint: n_classes
# about: columns from max(y) + 1, not n_classes
def one_hot(y, n_classes):
    Y = np.zeros((len(y), y.max() + 1))
    Y[np.arange(len(y)), y] = 1.0
    return Y
