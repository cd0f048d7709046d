"""Test set-up: make the rule library importable the way Checkov makes it importable.

Checkov puts the external checks directory on ``sys.path`` before it loads the
check files, which then import ``ckv_im``; the tests do the same. ``scripts/`` is on
the path too, for the plan fixture script (``plan_fixtures``), and ``tests/`` for the
helpers every engine's tests share (``support``).
"""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CHECKS_DIR = REPO_ROOT / "checks"
SCRIPTS_DIR = REPO_ROOT / "scripts"
TESTS_DIR = REPO_ROOT / "tests"
for directory in (TESTS_DIR, SCRIPTS_DIR, CHECKS_DIR):  # checks/ ends up first
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))
