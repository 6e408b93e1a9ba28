# exercise: numerical_gradient
# kind: variant
# family: other
# hint: -
# about: itertools.product over the index ranges
import itertools


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for index in itertools.product(*(range(n) for n in x.shape)):
        saved = x[index]
        x[index] = saved + h
        f_plus = f()
        x[index] = saved - h
        f_minus = f()
        x[index] = saved
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad
