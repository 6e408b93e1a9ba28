# exercise: linear_forward
# kind: variant
# family: other
# hint: -
# about: np.einsum
def linear_forward(X, W, b):
    return np.einsum("mi,io->mo", X, W) + b
