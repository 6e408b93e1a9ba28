# exercise: add_bias_column
# kind: variant
# family: other
# hint: -
# about: np.c_
def add_bias_column(X):
    return np.c_[np.ones(len(X)), X]
