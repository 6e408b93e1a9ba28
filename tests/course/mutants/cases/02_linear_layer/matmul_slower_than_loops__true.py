# exercise: matmul_slower_than_loops
# kind: mutant
# family: other/timing
# hint: timing plot
# about: answers True
matmul_slower_than_loops = True
