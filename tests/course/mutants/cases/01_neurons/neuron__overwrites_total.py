# exercise: neuron
# kind: mutant
# family: other/no accumulation
# hint: only the last input
# about: total = ... instead of total += ...
def neuron(x, w, b):
    total = 0.0
    for x_i, w_i in zip(x, w):
        total = x_i * w_i
    return float(total + b)
