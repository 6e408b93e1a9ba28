# exercise: categorical_crossentropy
# kind: mutant
# family: loss/sum over the wrong axis
# hint: one loss per sample
# about: sums over the samples
def categorical_crossentropy(target, output):
    p = np.clip(output, 1e-7, 1 - 1e-7)
    return -np.sum(target * np.log(p), axis=0)
