# exercise: LinearLayer
# kind: variant
# family: other
# hint: -
# about: rng.normal(0, 0.1, size) and np.dot
class LinearLayer:
    def __init__(self, input_size, output_size, activation=None, rng=None):
        generator = rng if rng is not None else np.random.default_rng()
        self.W = generator.normal(0.0, 0.1, size=(input_size, output_size))
        self.b = np.zeros(output_size).reshape(1, -1)
        if activation is None:
            activation = IdentityActivation()
        self.activation = activation

    def forward(self, X):
        self.A_prev = X
        self.Z = np.dot(X, self.W) + self.b
        A = self.activation.forward(self.Z)
        return A
