"""nbgrader settings shared by every server on the hub: learners' and the grader's.

JupyterHub puts this directory on JUPYTER_CONFIG_PATH (see deploy/jupyterhub_config.py)
and passes the two values below in the environment, so the hub configuration is the
one place where they are set.
"""
import os

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = os.environ.get("NNFS_COURSE_ID", "nn-from-scratch")

# The exchange: released assignments, submissions and feedback pass through here.
# Every server must see the same directory (a local path on one server; a shared
# volume on Kubernetes).
c.Exchange.root = os.environ.get("NNFS_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
