# exercise: add_bias_column
# kind: mutant
# family: other/zeros for ones
# hint: ones, not zeros
# about: a column of zeros
def add_bias_column(X):
    return np.hstack([np.zeros((X.shape[0], 1)), X])
