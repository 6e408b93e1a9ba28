# exercise: softmax_crossentropy_gradient
# kind: mutant
# family: scale/divides by C
# hint: number of classes
# about: divides by the number of classes
def softmax_crossentropy_gradient(target, probs):
    return (probs - target) / probs.shape[1]
