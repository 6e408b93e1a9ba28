# exercise: linear_backward
# kind: variant
# family: other
# hint: -
# about: np.dot and a reshape
def linear_backward(layer, dA):
    dZ = layer.activation.backward(dA)
    layer.dW = np.dot(layer.A_prev.T, dZ)
    layer.db = np.sum(dZ, axis=0).reshape(1, -1)
    return np.dot(dZ, layer.W.T)
