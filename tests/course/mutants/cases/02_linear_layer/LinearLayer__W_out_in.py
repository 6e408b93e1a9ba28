# exercise: LinearLayer
# kind: mutant
# family: shapes/transposed W
# hint: one column of weights
# about: W drawn as (output_size, input_size)
class LinearLayer:
    def __init__(self, input_size, output_size, activation=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.W = rng.standard_normal((output_size, input_size)) * 0.1
        self.b = np.zeros((1, output_size))
        self.activation = activation or IdentityActivation()

    def forward(self, X):
        self.A_prev = X
        self.Z = X @ self.W.T + self.b
        return self.activation.forward(self.Z)
