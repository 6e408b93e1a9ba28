# exercise: LinearLayer
# kind: mutant
# family: shapes/b as (n_out,)
# hint: 2-d row
# about: b = np.zeros(output_size)
class LinearLayer:
    def __init__(self, input_size, output_size, activation=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.W = rng.standard_normal((input_size, output_size)) * 0.1
        self.b = np.zeros(output_size)
        self.activation = IdentityActivation() if activation is None else activation

    def forward(self, X):
        self.A_prev = X
        self.Z = X @ self.W + self.b
        return self.activation.forward(self.Z)
