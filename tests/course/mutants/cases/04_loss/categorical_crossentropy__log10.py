# exercise: categorical_crossentropy
# kind: mutant
# family: loss/log of the wrong kind
# hint: np.log10
# about: base-10 log
def categorical_crossentropy(target, output):
    return -np.sum(target * np.log10(np.clip(output, 1e-7, 1 - 1e-7)), axis=1)
