# exercise: neuron
# kind: variant
# family: other
# hint: -
# about: a loop over indices
def neuron(x, w, b):
    total = b
    for i in range(len(x)):
        total = total + x[i] * w[i]
    return float(total)
