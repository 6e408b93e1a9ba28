# exercise: neuron
# kind: mutant
# family: other/bias missing
# hint: bias b is missing
# about: the bias is never added
def neuron(x, w, b):
    total = 0.0
    for x_i, w_i in zip(x, w):
        total += x_i * w_i
    return float(total)
