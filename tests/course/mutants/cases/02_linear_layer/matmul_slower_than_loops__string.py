# exercise: matmul_slower_than_loops
# kind: mutant
# family: other/type
# hint: without quotes
# about: the string 'False'
matmul_slower_than_loops = "False"
