# exercise: sgd_step
# kind: variant
# family: other
# hint: -
# about: np.subtract(..., out=...) and a slice assignment
def sgd_step(layer, lr):
    np.subtract(layer.W, lr * layer.dW, out=layer.W)
    layer.b[...] = layer.b - layer.db * lr
