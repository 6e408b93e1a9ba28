# exercise: linear_backward
# kind: mutant
# family: calculus/Z where A_prev is needed
# hint: input a_prev
# about: dW = Z.T @ dZ
def linear_backward(layer, dA):
    dZ = layer.activation.backward(dA)
    layer.dW = layer.Z.T @ dZ
    layer.db = dZ.sum(axis=0, keepdims=True)
    return dZ @ layer.W.T
