# exercise: linear_forward
# kind: mutant
# family: other/bias added to W
# hint: before the product
# about: X @ (W + b)
def linear_forward(X, W, b):
    return X @ (W + b)
