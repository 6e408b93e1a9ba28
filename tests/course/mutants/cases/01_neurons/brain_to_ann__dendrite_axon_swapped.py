# exercise: brain_to_ann
# kind: mutant
# family: other/analogy
# hint: dendrites receive
# about: dendrite and axon swapped
brain_to_ann = {"synapse": "weight", "dendrite": "output", "soma": "node", "axon": "input"}
