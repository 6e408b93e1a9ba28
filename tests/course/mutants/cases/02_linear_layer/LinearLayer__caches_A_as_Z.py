# exercise: LinearLayer
# kind: mutant
# family: calculus/caches the output as Z
# hint: pre-activation
# about: self.Z holds the activation's output
class LinearLayer:
    def __init__(self, input_size, output_size, activation=None, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        self.W = rng.standard_normal((input_size, output_size)) * 0.1
        self.b = np.zeros((1, output_size))
        self.activation = IdentityActivation() if activation is None else activation

    def forward(self, X):
        self.A_prev = X
        self.Z = self.activation.forward(X @ self.W + self.b)
        return self.Z
