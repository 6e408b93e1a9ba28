# exercise: linear_forward
# kind: mutant
# family: shapes/transposed W
# hint: transposed
# about: X @ W.T, as if W were (n_out, n_in)
def linear_forward(X, W, b):
    return X @ W.T + b
