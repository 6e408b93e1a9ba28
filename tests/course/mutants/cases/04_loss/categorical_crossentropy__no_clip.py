# exercise: categorical_crossentropy
# kind: mutant
# family: loss/no clipping
# hint: clip the output
# about: log of the raw output
def categorical_crossentropy(target, output):
    return -np.sum(target * np.log(output), axis=1)
