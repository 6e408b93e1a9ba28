# exercise: relative_error
# kind: mutant
# family: other/mean instead of max
# hint: not the mean
# about: averages over the entries
def relative_error(a, b):
    return float(np.mean(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
