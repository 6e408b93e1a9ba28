# exercise: crossentropy_gradient
# kind: mutant
# family: scale/missing 1/m
# hint: divide by m
# about: no division by m
def crossentropy_gradient(target, output):
    return -target / np.clip(output, 1e-7, 1 - 1e-7)
