# exercise: relative_error
# kind: mutant
# family: gradient checking/floor added
# hint: not + 1e-8
# about: |a| + |b| + 1e-8
def relative_error(a, b):
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-8)))
