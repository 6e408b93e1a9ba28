"""Running planned nbgrader jobs on parallel workers, and stopping them on Ctrl-C."""
import concurrent.futures
import os
import signal
import sys
import threading
import time

from .report import count, duration


class _Processes(set):
    """Running nbgrader processes, so that Ctrl-C can stop them and their kernels."""

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()

    def add(self, proc):
        with self.lock:
            super().add(proc)

    def discard(self, proc):
        with self.lock:
            super().discard(proc)

    def stop_all(self):
        with self.lock:
            procs = list(self)
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                pass


def run_jobs(course, plan, make_args, label, logdir, workers, extra_env=None):
    """Run the nbgrader jobs of `plan` (plan.Job) on `workers` threads; prints one line
    per finished job and sets each job's log, seconds and exit code."""
    procs = _Processes()
    done = [0]
    lock = threading.Lock()

    def work(index, job):
        job.log = logdir / f"{label}-{job.aid}-{index:03d}.log"
        start = time.perf_counter()
        job.code, _ = course.run(*make_args(job), log=job.log, proc_holder=procs, extra_env=extra_env)
        job.seconds = time.perf_counter() - start
        with lock:
            done[0] += 1
            print(f"  [{done[0]}/{len(plan)}] {label} {job.aid}: {count(len(job.students), 'submission')} "
                  f"in {duration(job.seconds)}"
                  + ("" if job.code == 0 else f" (nbgrader exit {job.code})"), flush=True)
        return job

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [pool.submit(work, i, job) for i, job in enumerate(plan)]
        for future in concurrent.futures.as_completed(futures):
            future.result()
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the running nbgrader processes", file=sys.stderr)
        pool.shutdown(wait=False, cancel_futures=True)
        procs.stop_all()
        raise
    finally:
        pool.shutdown(wait=True)


def exclude_args(job):
    """nbgrader's option that keeps a run to its own students."""
    if not job.others:
        return []
    return [f"--CourseDirectory.student_id_exclude={','.join(job.others)}"]
