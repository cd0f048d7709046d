"""The pack checks itself: ruff and mypy, configured in pyproject.toml and pinned in requirements.txt, pass."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from manifest import REPO_ROOT

TOOLS = Path(sys.executable).parent   # scripts/bootstrap installs both into the test environment


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    completed = run(str(TOOLS / "ruff"), "check", "checks", "tests", "scripts", "benchmarks")
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_mypy_finds_nothing():
    completed = run(str(TOOLS / "mypy"))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Success: no issues found" in completed.stdout
