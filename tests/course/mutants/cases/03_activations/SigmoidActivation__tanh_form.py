# exercise: SigmoidActivation
# kind: variant
# family: other
# hint: -
# about: sigmoid(z) = (1 + tanh(z / 2)) / 2
class SigmoidActivation:
    def forward(self, Z):
        self.A = 0.5 * (1 + np.tanh(0.5 * Z))
        return self.A

    def backward(self, dA):
        return dA * self.A * (1 - self.A)
