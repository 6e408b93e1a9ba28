# exercise: IdentityActivation
# kind: mutant
# family: calculus/activation used as its own derivative
# hint: activation itself
# about: backward returns dA * f(Z)
class IdentityActivation:
    def forward(self, Z):
        self.Z = Z
        return Z

    def backward(self, dA):
        return dA * self.Z
