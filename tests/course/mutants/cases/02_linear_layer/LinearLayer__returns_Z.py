# exercise: LinearLayer
# kind: mutant
# family: other/activation skipped
# hint: not z itself
# about: forward returns Z, not the activation
class LinearLayer:
    def __init__(self, input_size, output_size, activation=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.W = rng.standard_normal((input_size, output_size)) * 0.1
        self.b = np.zeros((1, output_size))
        self.activation = IdentityActivation() if activation is None else activation

    def forward(self, X):
        self.A_prev = X
        self.Z = X @ self.W + self.b
        return self.Z
