# exercise: numerical_gradient
# kind: mutant
# family: gradient checking/forward differences
# hint: forward differences
# about: (f(x + h) - f(x)) / h
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        original = x[k]
        f_here = f()
        x[k] = original + h
        f_plus = f()
        x[k] = original
        grad[k] = (f_plus - f_here) / h
    return grad
