"""The benchmark command of the README ("Speed") runs end to end in its quick mode.

It generates every corpus, runs every engine with and without the pack and prints its
table. No time is asserted: speed is measured by the benchmark itself, never by a test.
"""

from __future__ import annotations

import subprocess
import sys

from support.manifest import REPO_ROOT

CASES = (
    "checkov -d (all frameworks), IM in all",
    "checkov -d (all frameworks), IM in 1/50",
    "Checkov HCL, IM in all",
    "Checkov HCL, IM in 1/50",
    "Checkov plan",
    "Checkov CFN",
    "cfn-lint",
    "Rego",
)


def test_the_benchmark_prints_its_table_in_quick_mode():
    completed = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = [line for line in completed.stdout.splitlines() if line.startswith("| ") and not line.startswith("| case")]
    assert len(rows) == 11, completed.stdout
    assert all(any(row.startswith(f"| {case}") for row in rows) for case in CASES), completed.stdout
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        measured = cells[1:4] + cells[7:] if row.startswith("| checkov -d") else cells[1:]  # its CPU: n/a
        assert len(cells) == 10 and all(float(cell) > 0 for cell in measured), row
    assert "linearity (CPU): twice the stacks took" in completed.stdout
