# exercise: numerical_gradient
# kind: mutant
# family: other/parameter ignored
# hint: h that was passed in
# about: always h = 1e-5
def numerical_gradient(f, x, h=1e-5):
    step = 1e-5
    grad = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        original = x[k]
        x[k] = original + step
        f_plus = f()
        x[k] = original - step
        f_minus = f()
        x[k] = original
        grad[k] = (f_plus - f_minus) / (2 * step)
    return grad
