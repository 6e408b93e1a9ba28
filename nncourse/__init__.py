"""nncourse: what serves the notebooks and the graders of *Neural Networks from Scratch*.

:mod:`nnlib` is the neural-network library; this package is the course built on it:

- :mod:`nncourse.testing` (``T`` in the notebooks): the checks of the graded test
  cells (:mod:`~nncourse.checks`, :mod:`~nncourse.checklist`, with the words of
  :mod:`~nncourse.feedback`), the misconception catalogue
  (:mod:`~nncourse.misconceptions`, one module per notebook) and the grading guard
  (:mod:`~nncourse.guard`), which enforces :mod:`~nncourse.protection`;
- :mod:`nncourse.quiz`: the answers to the lesson's questions;
- :mod:`nncourse.widgets` and :mod:`nncourse.figures`: the interactive widgets and the
  pictures the notebooks show;
- :mod:`nncourse.manifest` and :mod:`nncourse.notebook`: the course's assignments,
  exercises and points, and the model of an nbgrader notebook that ``tools/``, the
  tests and the benchmarks share.

Importing the package imports none of these; each is imported where it is used.
"""
