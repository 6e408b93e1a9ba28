"""First code that runs inside a grading sandbox: limits, then the IPython kernel.

The sandbox (tools/sandbox/launch.py) starts ``python boot.py -f <connection file>``
instead of ``python -m ipykernel_launcher -f ...``. This file is bound read-only into
the sandbox and must import nothing of the course: only the standard library and
ipykernel, which the kernel needs anyway.

Why the limits are set here rather than before bubblewrap starts: a user namespace
remembers its creator's process limit (RLIMIT_NPROC) and counts every process of the
grader's user against it. Set inside the new namespace, the limit counts only the
processes of this sandbox.
"""
import contextlib
import errno
import os
import resource
import sys

LIMITS_VAR = "NNFS_SANDBOX_LIMITS"

# name in NNFS_SANDBOX_LIMITS -> rlimit
# (tmp and folder are tmpfs sizes, set by bubblewrap; they are here for the messages.)
RLIMITS = {"memory": resource.RLIMIT_AS, "processes": resource.RLIMIT_NPROC,
           "file_size": resource.RLIMIT_FSIZE, "open_files": resource.RLIMIT_NOFILE}


def _read_limits(text):
    """"memory=2147483648,processes=128,..." -> {"memory": 2147483648, ...}."""
    limits = {}
    for item in filter(None, text.split(",")):
        name, _, value = item.partition("=")
        limits[name] = int(value)
    return limits


def _set_limits(limits):
    for name, rlimit in RLIMITS.items():
        if name in limits:
            resource.setrlimit(rlimit, (limits[name], limits[name]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file


def _size(n):
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


def explain(value, limits):
    """The sentence a learner reads when an error comes from a sandbox limit, or None."""
    if isinstance(value, MemoryError) and "memory" in limits:
        return f"while graded, a notebook may use at most {_size(limits['memory'])} of memory"
    err = getattr(value, "errno", None)
    if isinstance(value, OSError) and err == errno.EFBIG and "file_size" in limits:
        return f"while graded, a notebook may write files of at most {_size(limits['file_size'])}"
    if isinstance(value, OSError) and err == errno.ENOSPC and "tmp" in limits:
        return (f"while graded, a notebook may keep at most {_size(limits['tmp'])} in /tmp and "
                f"{_size(limits.get('folder', 0))} of new files in its folder")
    forking = isinstance(value, OSError) and err == errno.EAGAIN
    threads = isinstance(value, RuntimeError) and "can't start new thread" in str(value)
    if (forking or threads) and "processes" in limits:
        return (f"while graded, a notebook may run at most {limits['processes']} "
                "processes and threads")
    return None


def install_explanations(shell, limits):
    """Errors caused by a limit say which limit, in the traceback and in the error's text."""

    def handler(self, etype, value, tb, tb_offset=None):
        why = explain(value, limits)
        if isinstance(value, OSError) and why:
            # str() of an OSError is "[Errno N] <strerror>": the sentence goes there.
            value.strerror = f"{why} ({value.strerror})"
        elif why:
            detail = str(value)
            message = why + (f" ({detail})" if detail else "")
            value.args = (message,)
            if str(value) != message:
                # A subclass that words its own message (numpy's _ArrayMemoryError): the
                # same class under its own name, with the sentence as its text.
                with contextlib.suppress(TypeError):
                    value.__class__ = type(type(value).__name__, (type(value),),
                                           {"__str__": lambda self, text=message: text})
        return self.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)

    shell.set_custom_exc((MemoryError, OSError, RuntimeError), handler)


def main():
    limits = _read_limits(os.environ.pop(LIMITS_VAR, ""))
    _set_limits(limits)
    # Like ipykernel_launcher: the script's folder is not the notebook's import path;
    # the kernel puts the working directory (the submission's folder) there instead.
    if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(sys.argv[1:])
    install_explanations(app.shell, limits)
    app.start()


if __name__ == "__main__":
    main()
