# exercise: softmax_crossentropy_gradient
# kind: mutant
# family: calculus/sign
# hint: not target - probs
# about: (target - probs) / m
def softmax_crossentropy_gradient(target, probs):
    return (target - probs) / len(target)
