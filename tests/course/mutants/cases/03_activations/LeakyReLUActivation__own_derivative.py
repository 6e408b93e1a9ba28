# exercise: LeakyReLUActivation
# kind: mutant
# family: calculus/activation used as its own derivative
# hint: activation itself
# about: backward multiplies by f(Z)
class LeakyReLUActivation:
    def __init__(self, a=1.0, b=0.01):
        self.a = a
        self.b = b

    def forward(self, Z):
        self.A = np.where(Z > 0, self.a * Z, self.b * Z)
        return self.A

    def backward(self, dA):
        return dA * self.A
