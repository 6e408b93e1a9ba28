# exercise: sgd_step
# kind: mutant
# family: scale/lr with the wrong sign
# hint: subtracts
# about: gradient ascent
def sgd_step(layer, lr):
    layer.W += lr * layer.dW
    layer.b += lr * layer.db
