# exercise: sgd_step
# kind: mutant
# family: training/parameters never updated
# hint: not updated
# about: b is never updated
def sgd_step(layer, lr):
    layer.W -= lr * layer.dW
