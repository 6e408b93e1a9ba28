# exercise: SigmoidActivation
# kind: mutant
# family: activations/sigmoid overflow
# hint: overflow
# about: the textbook formula, which overflows for z = -1e4
class SigmoidActivation:
    def forward(self, Z):
        self.A = 1 / (1 + np.exp(-Z))
        return self.A

    def backward(self, dA):
        return dA * self.A * (1 - self.A)
