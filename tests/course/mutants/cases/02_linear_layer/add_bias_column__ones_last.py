# exercise: add_bias_column
# kind: mutant
# family: shapes/bias column appended last
# hint: first column
# about: np.hstack([X, ones])
def add_bias_column(X):
    return np.hstack([X, np.ones((X.shape[0], 1))])
