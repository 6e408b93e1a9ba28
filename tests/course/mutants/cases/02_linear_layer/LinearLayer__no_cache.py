# exercise: LinearLayer
# kind: mutant
# family: other/nothing cached
# hint: never set
# about: forward stores neither A_prev nor Z
class LinearLayer:
    def __init__(self, input_size, output_size, activation=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.W = rng.standard_normal((input_size, output_size)) * 0.1
        self.b = np.zeros((1, output_size))
        self.activation = IdentityActivation() if activation is None else activation
        self.A_prev = None
        self.Z = None

    def forward(self, X):
        return self.activation.forward(X @ self.W + self.b)
