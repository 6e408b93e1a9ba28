# exercise: one_hot
# kind: variant
# family: other
# hint: -
# about: np.eye(C)[y]
def one_hot(y, n_classes):
    return np.eye(n_classes)[y]
