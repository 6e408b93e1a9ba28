# exercise: one_hot
# kind: variant
# family: other
# hint: -
# about: a loop over the labels
def one_hot(y, n_classes):
    Y = np.zeros((len(y), n_classes))
    for i, label in enumerate(y):
        Y[i, label] = 1
    return Y
