# exercise: LinearLayer
# kind: mutant
# family: scale/init not scaled
# hint: multiply the random numbers by 0.1
# about: weights not multiplied by 0.1
class LinearLayer:
    def __init__(self, input_size, output_size, activation=None, rng=None):
        if rng is None:
            rng = np.random.default_rng()
        self.W = rng.standard_normal((input_size, output_size))
        self.b = np.zeros((1, output_size))
        self.activation = IdentityActivation() if activation is None else activation

    def forward(self, X):
        self.A_prev = X
        self.Z = X @ self.W + self.b
        return self.activation.forward(self.Z)
