# exercise: linear_forward
# kind: variant
# family: other
# hint: -
# about: one sample at a time
def linear_forward(X, W, b):
    rows = [x @ W + b[0] for x in X]
    return np.array(rows).reshape(len(X), W.shape[1])
