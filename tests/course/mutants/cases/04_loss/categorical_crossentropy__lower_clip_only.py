# exercise: categorical_crossentropy
# kind: mutant
# family: loss/no clipping
# hint: upper end
# about: clips at 1e-7 only
def categorical_crossentropy(target, output):
    return -np.sum(target * np.log(np.maximum(output, 1e-7)), axis=1)
