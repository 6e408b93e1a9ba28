"""The grading sandbox: each kernel that runs a learner's notebook for grading starts in
bubblewrap, with read-only Python, its own folder, no network, its own processes, an
empty environment and limits (policy.py). kernel.py has the kernel managers that
nbgrader is configured with; boot.py runs first inside; probe.py is `make sandbox-check`.
"""
from .policy import Limits, SandboxUnavailable, bwrap_path, preflight

SANDBOX_MANAGER = "tools.sandbox.kernel.SandboxKernelManager"
UNSANDBOXED_MANAGER = "tools.sandbox.kernel.ScrubbedKernelManager"

__all__ = ["Limits", "SandboxUnavailable", "bwrap_path", "preflight",
           "SANDBOX_MANAGER", "UNSANDBOXED_MANAGER"]
