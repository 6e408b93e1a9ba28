# exercise: neuron
# kind: mutant
# family: other/bias added per input
# hint: once per input
# about: b added inside the loop, once per input
def neuron(x, w, b):
    total = 0.0
    for x_i, w_i in zip(x, w):
        total += x_i * w_i + b
    return float(total)
