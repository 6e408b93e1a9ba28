# exercise: TanhActivation
# kind: mutant
# family: calculus/wrong derivative
# hint: square a first
# about: (1 - A)**2 instead of 1 - A**2
class TanhActivation:
    def forward(self, Z):
        self.A = np.tanh(Z)
        return self.A

    def backward(self, dA):
        return dA * (1 - self.A) ** 2
