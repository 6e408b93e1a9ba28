# exercise: add_bias_column
# kind: variant
# family: other
# hint: -
# about: np.insert
def add_bias_column(X):
    return np.insert(X, 0, 1.0, axis=1)
