# exercise: crossentropy_gradient
# kind: mutant
# family: calculus/gradient w.r.t. the wrong variable
# hint: softmax *input*
# about: (output - target) / m
def crossentropy_gradient(target, output):
    return (output - target) / len(target)
