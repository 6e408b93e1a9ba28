# exercise: linear_backward
# kind: mutant
# family: scale/multiplied by m
# hint: multiply by m
# about: dW multiplied by m
def linear_backward(layer, dA):
    m = dA.shape[0]
    dZ = layer.activation.backward(dA)
    layer.dW = m * (layer.A_prev.T @ dZ)
    layer.db = dZ.sum(axis=0, keepdims=True)
    return dZ @ layer.W.T
