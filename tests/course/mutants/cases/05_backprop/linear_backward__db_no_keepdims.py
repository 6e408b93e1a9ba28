# exercise: linear_backward
# kind: mutant
# family: shapes/missing keepdims
# hint: keepdims
# about: db = dZ.sum(axis=0)
def linear_backward(layer, dA):
    dZ = layer.activation.backward(dA)
    layer.dW = layer.A_prev.T @ dZ
    layer.db = dZ.sum(axis=0)
    return dZ @ layer.W.T
