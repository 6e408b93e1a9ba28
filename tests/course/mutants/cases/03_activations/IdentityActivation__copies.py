# exercise: IdentityActivation
# kind: variant
# family: other
# hint: -
# about: returns copies
class IdentityActivation:
    def forward(self, Z):
        return Z.copy()

    def backward(self, dA):
        return dA.copy()
