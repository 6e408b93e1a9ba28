# exercise: relative_error
# kind: variant
# family: other
# hint: -
# about: np.clip for the floor, a loop for the max
def relative_error(a, b):
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    worst = 0.0
    for x, y in zip(a, b):
        worst = max(worst, abs(x - y) / max(1e-8, abs(x) + abs(y)))
    return worst
