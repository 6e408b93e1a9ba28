# exercise: SigmoidActivation
# kind: mutant
# family: activations/sigmoid sign
# hint: sign of the exponent
# about: 1 / (1 + exp(z))
class SigmoidActivation:
    def forward(self, Z):
        E = np.exp(-np.abs(Z))
        self.A = np.where(Z >= 0, E / (1 + E), 1 / (1 + E))
        return self.A

    def backward(self, dA):
        return dA * self.A * (1 - self.A)
