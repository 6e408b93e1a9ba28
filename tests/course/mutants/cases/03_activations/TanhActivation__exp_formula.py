# exercise: TanhActivation
# kind: mutant
# family: activations/tanh overflow
# hint: overflow
# about: (e^z - e^-z) / (e^z + e^-z) overflows for 1e4
class TanhActivation:
    def forward(self, Z):
        self.A = (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z))
        return self.A

    def backward(self, dA):
        return dA * (1 - self.A ** 2)
