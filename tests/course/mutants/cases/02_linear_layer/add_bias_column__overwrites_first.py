# exercise: add_bias_column
# kind: mutant
# family: shapes/mutated input array
# hint: changed by the call
# about: writes the ones into X's first column
def add_bias_column(X):
    X[:, 0] = 1.0
    return X
