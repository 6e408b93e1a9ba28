# exercise: add_bias_column
# kind: variant
# family: other
# hint: -
# about: allocate, then fill
def add_bias_column(X):
    out = np.ones((X.shape[0], X.shape[1] + 1))
    out[:, 1:] = X
    return out
