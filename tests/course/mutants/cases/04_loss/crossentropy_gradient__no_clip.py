# exercise: crossentropy_gradient
# kind: mutant
# family: loss/no clipping
# hint: clip the output
# about: divides by the raw output
def crossentropy_gradient(target, output):
    return -target / output / target.shape[0]
