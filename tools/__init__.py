"""Instructor tools: the grading workflow over the nbgrader CLI and the tamper scan.

Run them through make (``make release``, ``make autograde``, ...) or directly with
``python -m tools.grading --help``. See docs/instructor.md.
"""
