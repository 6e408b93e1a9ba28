# exercise: sgd_step
# kind: mutant
# family: scale/lr applied twice
# hint: applied twice
# about: lr * lr
def sgd_step(layer, lr):
    layer.W -= lr * (lr * layer.dW)
    layer.b -= lr * (lr * layer.db)
