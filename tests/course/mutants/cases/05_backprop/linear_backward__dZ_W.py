# exercise: linear_backward
# kind: mutant
# family: calculus/dZ @ W instead of dZ @ W.T
# hint: dz @ w.t
# about: dA_prev = dZ @ W
def linear_backward(layer, dA):
    dZ = layer.activation.backward(dA)
    layer.dW = layer.A_prev.T @ dZ
    layer.db = dZ.sum(axis=0, keepdims=True)
    return dZ @ layer.W
