# exercise: neuron_vectorised
# kind: mutant
# family: other/lists are not arrays
# hint: np.asarray
# about: x * w on plain Python lists
def neuron_vectorised(x, w, b):
    return float(np.sum(x * w) + b)
