# exercise: brain_to_ann
# kind: mutant
# family: other/spelling
# hint: lower case
# about: keys with capitals
brain_to_ann = {"Synapse": "weight", "Dendrite": "input", "Soma": "node", "Axon": "output"}
