# exercise: brain_to_ann
# kind: mutant
# family: other/analogy
# hint: junction
# about: synapse and soma swapped
brain_to_ann = {"synapse": "node", "dendrite": "input", "soma": "weight", "axon": "output"}
