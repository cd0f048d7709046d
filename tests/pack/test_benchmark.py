"""The benchmark command of the README ("Speed") runs end to end in its quick mode.

It generates every corpus, runs every engine alone, with the pack and (Checkov) with the
floor pack, and prints its table. No time is asserted: speed is measured by the benchmark
itself, never by a test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.manifest import FIXTURES_DIR, REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
from floor_pack import FRAMEWORKS, write_floor_pack

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
        assert len(cells) == 12, row
        wall, cpu, memory = cells[1:6], cells[6:9], cells[9:]
        floor = [wall[1], wall[3]]  # its seconds and its ratio
        assert all(float(cell) > 0 for cell in [wall[0], wall[2], wall[4], *memory]), row
        if row.startswith(("| cfn-lint", "| Rego")):  # a floor is a Checkov checks directory
            assert floor == ["-", "-"], row
        else:
            assert all(float(cell) > 0 for cell in floor), row
        if row.startswith("| checkov -d"):  # its forked processes' CPU is not counted
            assert cpu == ["n/a"] * 3, row
        else:
            assert all(float(cell) > 0 for cell in cpu), row
    assert "linearity (CPU): twice the stacks took" in completed.stdout


def test_the_floor_pack_has_a_check_for_every_checkov_shell_of_the_pack(tmp_path):
    floor = write_floor_pack(tmp_path / "floor")
    for framework in FRAMEWORKS:
        shells = sorted(path.name for path in (REPO_ROOT / "checks" / framework).glob("CKV_IM_*.py"))
        assert shells and sorted(path.name for path in (floor / framework).glob("CKV_IM_*.py")) == shells
        assert (floor / framework / "__init__.py").exists()  # Checkov loads no directory without one


def test_checkov_calls_the_floor_pack_and_it_reports_nothing(tmp_path):
    """The floor's checks run under the pack's IDs and report nothing (UNKNOWN), where the pack reports.

    In a process of its own: Checkov's registry keeps the first check of an ID it is given."""
    floor = write_floor_pack(tmp_path / "floor")
    assert _ckv_im_records(floor) == 0
    assert _ckv_im_records(REPO_ROOT / "checks") > 0


SCAN = """
import sys
from checkov.common.checks.base_check import BaseCheck
from checkov.runner_filter import RunnerFilter
from checkov.terraform.runner import Runner

calls = []
run = BaseCheck.run
BaseCheck.run = lambda self, *args, **kwargs: calls.append(self.id) or run(self, *args, **kwargs)
report = Runner().run(
    root_folder=sys.argv[1], external_checks_dir=[sys.argv[2]], runner_filter=RunnerFilter(framework=["terraform"])
)
assert "CKV_IM_1" in calls and "CKV_IM_3" in calls, calls
print(sum(record.check_id.startswith("CKV_IM_") for record in report.failed_checks + report.passed_checks))
"""


def _ckv_im_records(checks: Path) -> int:
    fixture = FIXTURES_DIR / "terraform" / "policy_missing"
    completed = subprocess.run(
        [sys.executable, "-c", SCAN, str(fixture), str(checks)], capture_output=True, text=True, check=True
    )
    return int(completed.stdout.strip().splitlines()[-1])
