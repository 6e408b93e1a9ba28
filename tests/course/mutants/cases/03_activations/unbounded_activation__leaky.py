# exercise: unbounded_activation
# kind: variant
# family: other
# hint: -
# about: leaky ReLU, also unbounded, written with an underscore
unbounded_activation = "Leaky_ReLU"
