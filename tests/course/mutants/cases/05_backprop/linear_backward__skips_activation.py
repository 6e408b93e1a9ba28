# exercise: linear_backward
# kind: mutant
# family: calculus/activation backward skipped
# hint: activation's backward
# about: dZ = dA
def linear_backward(layer, dA):
    dZ = dA
    layer.dW = layer.A_prev.T @ dZ
    layer.db = dZ.sum(axis=0, keepdims=True)
    return dZ @ layer.W.T
