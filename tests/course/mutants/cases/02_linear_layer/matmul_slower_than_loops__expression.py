# exercise: matmul_slower_than_loops
# kind: variant
# family: other
# hint: -
# about: a bool from a comparison
matmul_slower_than_loops = 1 > 2
