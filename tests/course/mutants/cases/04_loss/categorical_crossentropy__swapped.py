# exercise: categorical_crossentropy
# kind: mutant
# family: loss/log of the wrong argument
# hint: swapped
# about: the log of the target, weighted by the output
def categorical_crossentropy(target, output):
    return -np.sum(np.clip(output, 1e-7, 1 - 1e-7) * np.log(np.clip(target, 1e-7, 1 - 1e-7)), axis=1)
