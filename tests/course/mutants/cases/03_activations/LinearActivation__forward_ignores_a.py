# exercise: LinearActivation
# kind: mutant
# family: other/parameter ignored
# hint: slope self.a
# about: forward returns Z
class LinearActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        return Z

    def backward(self, dA):
        return self.a * dA
