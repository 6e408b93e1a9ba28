# exercise: categorical_crossentropy
# kind: mutant
# family: loss/log of the wrong argument
# hint: 1 - output
# about: log(1 - output)
def categorical_crossentropy(target, output):
    p = np.clip(output, 1e-7, 1 - 1e-7)
    return -np.sum(target * np.log(1 - p), axis=1)
