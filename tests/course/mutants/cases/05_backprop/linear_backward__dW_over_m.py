# exercise: linear_backward
# kind: mutant
# family: scale/doubled 1/m
# hint: already
# about: the seed's 1/m kept in dW and db
def linear_backward(layer, dA):
    m = dA.shape[0]
    dZ = layer.activation.backward(dA)
    layer.dW = layer.A_prev.T @ dZ / m
    layer.db = dZ.sum(axis=0, keepdims=True) / m
    return dZ @ layer.W.T
