# exercise: linear_forward
# kind: variant
# family: other
# hint: -
# about: (W.T @ X.T).T + b
def linear_forward(X, W, b):
    return (W.T @ X.T).T + b
