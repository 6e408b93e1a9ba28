# exercise: one_hot
# kind: variant
# family: other
# hint: -
# about: a broadcast comparison
def one_hot(y, n_classes):
    return (np.asarray(y)[:, None] == np.arange(n_classes)[None, :]).astype(float)
