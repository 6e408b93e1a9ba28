"""A flag, the scan's one kind of finding, and the kinds a flag can be of."""
from dataclasses import dataclass

# The package docstring and the instructor's guide describe each kind, in this order.
KINDS = ("patch", "shadow", "exit", "ctypes", "kernel", "shell", "dynamic",
         "path", "database", "network", "system", "metadata", "removed", "edited", "extra")


@dataclass(frozen=True)
class Flag:
    """One finding: who, where, what."""

    student: str
    notebook: str          # e.g. "01_neurons/01_neurons.ipynb"
    cell: str              # e.g. "cell 7 (neuron)", or "-" for a file-level flag
    line: object           # line number inside the cell (1-based), or None
    kind: str
    message: str

    def __post_init__(self):
        if self.kind not in KINDS:  # the docs and the instructor's table list KINDS
            raise ValueError(f"unknown flag kind {self.kind!r}")

    def __str__(self):
        line = "-" if self.line is None else self.line
        return f"{self.student}  {self.notebook}  {self.cell}  line {line}  [{self.kind}] {self.message}"

    def tsv(self):
        line = "" if self.line is None else str(self.line)
        return "\t".join((self.student, self.notebook, self.cell, line, self.kind, self.message))
