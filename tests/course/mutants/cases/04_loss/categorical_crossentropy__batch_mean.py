# exercise: categorical_crossentropy
# kind: mutant
# family: scale/mean over the batch
# hint: one loss per sample
# about: returns the mean over the batch
def categorical_crossentropy(target, output):
    p = np.clip(output, 1e-7, 1 - 1e-7)
    return -np.mean(np.sum(target * np.log(p), axis=1))
