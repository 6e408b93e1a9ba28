# exercise: add_bias_column
# kind: mutant
# family: shapes/row instead of column
# hint: row of ones
# about: np.vstack adds a row
def add_bias_column(X):
    return np.vstack([np.ones((1, X.shape[1])), X])
