# exercise: neuron_vectorised
# kind: variant
# family: other
# hint: -
# about: np.asarray and @
def neuron_vectorised(x, w, b):
    return float(np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + b)
