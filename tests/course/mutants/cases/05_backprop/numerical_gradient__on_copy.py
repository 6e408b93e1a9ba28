# exercise: numerical_gradient
# kind: mutant
# family: gradient checking/perturbs a copy
# hint: never saw
# about: perturbs a copy that f does not read
def numerical_gradient(f, x, h=1e-5):
    x = x.copy()
    grad = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        original = x[k]
        x[k] = original + h
        f_plus = f()
        x[k] = original - h
        f_minus = f()
        x[k] = original
        grad[k] = (f_plus - f_minus) / (2 * h)
    return grad
