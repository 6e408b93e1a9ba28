# exercise: crossentropy_gradient
# kind: mutant
# family: scale/divides by C
# hint: number of classes
# about: divides by the number of classes
def crossentropy_gradient(target, output):
    return -target / np.clip(output, 1e-7, 1 - 1e-7) / target.shape[1]
