# exercise: categorical_crossentropy
# kind: mutant
# family: loss/only one-hot targets
# hint: soft targets
# about: picks the probability of the argmax class
def categorical_crossentropy(target, output):
    p = np.clip(output, 1e-7, 1 - 1e-7)
    return -np.log(p[np.arange(len(p)), np.argmax(target, axis=1)])
