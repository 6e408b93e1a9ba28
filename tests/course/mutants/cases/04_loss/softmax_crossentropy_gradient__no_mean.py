# exercise: softmax_crossentropy_gradient
# kind: mutant
# family: scale/missing 1/m
# hint: divide by m
# about: probs - target
def softmax_crossentropy_gradient(target, probs):
    return probs - target
