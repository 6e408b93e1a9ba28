# exercise: LinearActivation
# kind: mutant
# family: calculus/activation used as its own derivative
# hint: activation itself
# about: backward returns dA * a * Z
class LinearActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        self.A = self.a * Z
        return self.A

    def backward(self, dA):
        return dA * self.A
