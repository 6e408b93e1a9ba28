# exercise: SigmoidActivation
# kind: variant
# family: other
# hint: -
# about: scipy.special.expit
from scipy.special import expit


class SigmoidActivation:
    def forward(self, Z):
        self.A = expit(Z)
        return self.A

    def backward(self, dA):
        return dA * self.A * (1.0 - self.A)
