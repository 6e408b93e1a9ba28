# exercise: linear_backward
# kind: mutant
# family: shapes/transposed dW
# hint: transposed
# about: dW = dZ.T @ A_prev
def linear_backward(layer, dA):
    dZ = layer.activation.backward(dA)
    layer.dW = dZ.T @ layer.A_prev
    layer.db = dZ.sum(axis=0, keepdims=True)
    return dZ @ layer.W.T
