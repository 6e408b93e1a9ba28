# exercise: linear_backward
# kind: mutant
# family: scale/mean instead of sum
# hint: mean instead of sum
# about: db as the mean over the samples
def linear_backward(layer, dA):
    dZ = layer.activation.backward(dA)
    layer.dW = layer.A_prev.T @ dZ
    layer.db = np.mean(dZ, axis=0, keepdims=True)
    return dZ @ layer.W.T
