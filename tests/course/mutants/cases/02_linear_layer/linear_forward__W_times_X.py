# exercise: linear_forward
# kind: mutant
# family: shapes/swapped factors
# hint: swapped factors
# about: W @ X
def linear_forward(X, W, b):
    return np.dot(W, X) + b
