# exercise: linear_backward
# kind: variant
# family: other
# hint: -
# about: np.einsum and a row of ones
def linear_backward(layer, dA):
    dZ = layer.activation.backward(dA)
    layer.dW = np.einsum("mi,mo->io", layer.A_prev, dZ)
    layer.db = np.ones((1, dZ.shape[0])) @ dZ
    return np.einsum("mo,io->mi", dZ, layer.W)
