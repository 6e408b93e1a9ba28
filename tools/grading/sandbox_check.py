"""sandbox-check: grade a probe submission in the sandbox and print what it could reach
(tools/sandbox/probe.py)."""
from .course import sandbox_refusal
from .report import USAGE


def cmd_sandbox_check(course, args):
    refusal = sandbox_refusal(course, "sandbox-check")
    if refusal:
        print(refusal)
        return USAGE
    from ..sandbox import probe  # nbformat and the probe, only for this command
    return probe.sandbox_check(course)
