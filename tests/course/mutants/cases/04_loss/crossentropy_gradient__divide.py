# exercise: crossentropy_gradient
# kind: variant
# family: other
# hint: -
# about: np.divide and a product in the denominator
def crossentropy_gradient(target, output):
    m = target.shape[0]
    return -np.divide(target, m * np.clip(output, 1e-7, 1 - 1e-7))
