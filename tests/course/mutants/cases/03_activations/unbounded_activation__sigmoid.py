# exercise: unbounded_activation
# kind: mutant
# family: other/ranges
# hint: tanh and sigmoid are bounded
# about: sigmoid
unbounded_activation = "sigmoid"
