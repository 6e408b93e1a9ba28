# exercise: ReLUActivation
# kind: mutant
# family: calculus/activation used as its own derivative
# hint: activation itself
# about: the lesson's bug: backward multiplies by relu(Z)
class ReLUActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        self.A = np.maximum(Z, 0) * self.a
        return self.A

    def backward(self, dA):
        return dA * self.A
