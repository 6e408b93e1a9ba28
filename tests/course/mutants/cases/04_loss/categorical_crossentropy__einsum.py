# exercise: categorical_crossentropy
# kind: variant
# family: other
# hint: -
# about: np.einsum over the classes
def categorical_crossentropy(target, output):
    p = np.minimum(np.maximum(output, 1e-7), 1 - 1e-7)
    return -np.einsum("ij,ij->i", target, np.log(p))
