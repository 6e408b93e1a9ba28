# exercise: brain_to_ann
# kind: variant
# family: other
# hint: -
# about: built with dict(zip(...))
parts = ["synapse", "dendrite", "soma", "axon"]
brain_to_ann = dict(zip(parts, ["weight", "input", "node", "output"]))
