# exercise: bounded_0_1_activation
# kind: variant
# family: other
# hint: -
# about: capitals and spaces
bounded_0_1_activation = " Sigmoid"
