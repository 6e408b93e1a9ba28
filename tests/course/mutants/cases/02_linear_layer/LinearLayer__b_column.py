# exercise: LinearLayer
# kind: mutant
# family: shapes/b as (n_out, 1)
# hint: not a column
# about: b = np.zeros((output_size, 1))
class LinearLayer:
    def __init__(self, input_size, output_size, activation=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.W = rng.standard_normal((input_size, output_size)) * 0.1
        self.b = np.zeros((output_size, 1))
        self.activation = IdentityActivation() if activation is None else activation

    def forward(self, X):
        self.A_prev = X
        self.Z = X @ self.W + self.b.T
        return self.activation.forward(self.Z)
