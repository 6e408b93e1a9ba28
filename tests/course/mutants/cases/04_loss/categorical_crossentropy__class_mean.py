# exercise: categorical_crossentropy
# kind: mutant
# family: scale/mean instead of sum
# hint: do not average
# about: averages over the classes
def categorical_crossentropy(target, output):
    p = np.clip(output, 1e-7, 1 - 1e-7)
    return -np.mean(target * np.log(p), axis=1)
