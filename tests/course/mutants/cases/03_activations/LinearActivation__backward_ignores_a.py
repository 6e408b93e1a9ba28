# exercise: LinearActivation
# kind: mutant
# family: calculus/derivative 1
# hint: slope self.a
# about: backward returns dA
class LinearActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        return self.a * Z

    def backward(self, dA):
        return dA
