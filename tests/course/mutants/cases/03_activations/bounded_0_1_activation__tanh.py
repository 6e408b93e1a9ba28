# exercise: bounded_0_1_activation
# kind: mutant
# family: other/ranges
# hint: (-1, 1)
# about: tanh, whose range is (-1, 1)
bounded_0_1_activation = "tanh"
