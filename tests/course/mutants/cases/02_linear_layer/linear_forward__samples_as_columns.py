# exercise: linear_forward
# kind: mutant
# family: shapes/transposed X
# hint: samples are rows
# about: the samples-as-columns formula W.T @ X.T + b.T
def linear_forward(X, W, b):
    return W.T @ X.T + b.T
