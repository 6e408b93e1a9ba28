# exercise: ReLUActivation
# kind: mutant
# family: shapes/mutated input array
# hint: changed by the call
# about: Z[Z <= 0] = 0 on the caller's array
class ReLUActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        Z[Z <= 0] = 0
        self.Z = Z
        return self.a * Z

    def backward(self, dA):
        return dA * self.a * (self.Z > 0)
