"""nbgrader settings of the learners' own servers.

A learner hands in under their hub name. With one Unix account per learner that is
also their account name; in a container (Kubernetes, Docker) every learner runs as the
same account, and the hub name is the only identity there is.
"""
import os

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

_user = os.environ.get("JUPYTERHUB_USER", "").strip()
if _user:
    c.CourseDirectory.student_id = _user
