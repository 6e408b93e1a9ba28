# exercise: linear_forward
# kind: mutant
# family: other/bias missing
# hint: bias b is missing
# about: X @ W
def linear_forward(X, W, b):
    return X @ W
