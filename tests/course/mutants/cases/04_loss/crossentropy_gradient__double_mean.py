# exercise: crossentropy_gradient
# kind: mutant
# family: scale/doubled 1/m
# hint: divide by m once
# about: divides by m twice
def crossentropy_gradient(target, output):
    m = len(target)
    return -target / np.clip(output, 1e-7, 1 - 1e-7) / m / m
