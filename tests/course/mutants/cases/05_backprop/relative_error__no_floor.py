# exercise: relative_error
# kind: mutant
# family: gradient checking/no 1e-8 floor
# hint: floor
# about: divides by |a| + |b| without the floor
def relative_error(a, b):
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))
