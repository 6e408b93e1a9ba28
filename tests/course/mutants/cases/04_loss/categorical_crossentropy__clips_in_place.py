# exercise: categorical_crossentropy
# kind: mutant
# family: shapes/mutated input array
# hint: changed by the call
# about: np.clip(..., out=output)
def categorical_crossentropy(target, output):
    np.clip(output, 1e-7, 1 - 1e-7, out=output)
    return -np.sum(target * np.log(output), axis=1)
