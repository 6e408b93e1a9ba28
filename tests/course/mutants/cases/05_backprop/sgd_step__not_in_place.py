# exercise: sgd_step
# kind: mutant
# family: other/rebinds instead of updating in place
# hint: in place
# about: layer.W = layer.W - ...
def sgd_step(layer, lr):
    layer.W = layer.W - lr * layer.dW
    layer.b = layer.b - lr * layer.db
