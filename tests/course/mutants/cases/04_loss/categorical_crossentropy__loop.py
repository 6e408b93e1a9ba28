# exercise: categorical_crossentropy
# kind: variant
# family: other
# hint: -
# about: a loop over samples
def categorical_crossentropy(target, output):
    losses = np.zeros(len(target))
    for i in range(len(target)):
        p = np.clip(output[i], 1e-7, 1 - 1e-7)
        losses[i] = -np.sum(target[i] * np.log(p))
    return losses
