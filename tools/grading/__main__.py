"""python -m tools.grading: see cli.py."""
import sys

from .cli import main

sys.exit(main())
