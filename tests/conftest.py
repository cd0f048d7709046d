"""Test set-up: make the rule library importable the way Checkov makes it importable.

Checkov puts the external checks directory on ``sys.path`` before it loads the
check files, which then import ``ckv_im``; the tests do the same.
"""
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CHECKS_DIR = REPO_ROOT / "checks"
if str(CHECKS_DIR) not in sys.path:
    sys.path.insert(0, str(CHECKS_DIR))
