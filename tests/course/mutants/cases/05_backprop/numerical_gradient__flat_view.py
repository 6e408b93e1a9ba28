# exercise: numerical_gradient
# kind: variant
# family: other
# hint: -
# about: a flat loop over x.reshape(-1)
def numerical_gradient(f, x, h=1e-5):
    flat = x.reshape(-1)
    grad = np.zeros(flat.shape)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + h
        up = f()
        flat[i] = keep - h
        down = f()
        flat[i] = keep
        grad[i] = (up - down) / (2 * h)
    return grad.reshape(x.shape)
