# exercise: numerical_gradient
# kind: mutant
# family: gradient checking/x not restored
# hint: original value
# about: x[k] left at x[k] - h
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        original = x[k]
        x[k] = original + h
        f_plus = f()
        x[k] = original - h
        f_minus = f()
        grad[k] = (f_plus - f_minus) / (2 * h)
    return grad
