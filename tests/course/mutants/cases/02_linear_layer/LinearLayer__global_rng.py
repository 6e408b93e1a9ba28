# exercise: LinearLayer
# kind: mutant
# family: other/global random state
# hint: global random state
# about: np.random (global state) when no rng is given
class LinearLayer:
    def __init__(self, input_size, output_size, activation=None, rng=None):
        if rng is None:
            rng = np.random
        self.W = rng.standard_normal((input_size, output_size)) * 0.1
        self.b = np.zeros((1, output_size))
        self.activation = IdentityActivation() if activation is None else activation

    def forward(self, X):
        self.A_prev = X
        self.Z = X @ self.W + self.b
        return self.activation.forward(self.Z)
