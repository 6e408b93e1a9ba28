# exercise: numerical_gradient
# kind: mutant
# family: scale/divides by h, not 2h
# hint: divide by 2h
# about: central difference over h
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        original = x[k]
        x[k] = original + h
        f_plus = f()
        x[k] = original - h
        f_minus = f()
        x[k] = original
        grad[k] = (f_plus - f_minus) / h
    return grad
