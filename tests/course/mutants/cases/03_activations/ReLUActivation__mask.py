# exercise: ReLUActivation
# kind: variant
# family: other
# hint: -
# about: multiplication by a boolean mask
class ReLUActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        self.mask = Z > 0
        return Z * self.mask * self.a

    def backward(self, dA):
        return dA * self.mask * self.a
