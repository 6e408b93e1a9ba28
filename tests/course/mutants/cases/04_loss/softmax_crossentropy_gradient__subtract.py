# exercise: softmax_crossentropy_gradient
# kind: variant
# family: other
# hint: -
# about: np.subtract times 1/m
def softmax_crossentropy_gradient(target, probs):
    return np.subtract(probs, target) * (1.0 / len(probs))
