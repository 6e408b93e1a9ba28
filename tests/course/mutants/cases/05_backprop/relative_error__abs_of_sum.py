# exercise: relative_error
# kind: mutant
# family: other/|a + b|
# hint: |a + b|
# about: denominator |a + b|
def relative_error(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a + b))))
