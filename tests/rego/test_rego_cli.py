"""`python -m ckv_im.opa PLAN`: the policies on a plan with the embedded OPA, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from support.manifest import FIXTURES_DIR, REPO_ROOT

PLANS_DIR = FIXTURES_DIR / "terraform_plan"


def run(*arguments: str, cwd=REPO_ROOT) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "checks"))
    return subprocess.run(
        [sys.executable, "-m", "ckv_im.opa", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_findings_are_printed_as_json_and_exit_1(tmp_path):
    completed = run(str(PLANS_DIR / "plan_rekey_replication_set" / "plan.json"), cwd=tmp_path)
    findings = json.loads(completed.stdout)
    assert [(f["id"], f["severity"], f["resource"]) for f in findings] == [
        ("CKV_IM_15", "HIGH", "aws_ssmincidents_replication_set.main")
    ]
    assert "becomes a key known only after apply" in findings[0]["msg"]
    assert completed.returncode == 1


def test_a_plan_without_findings_exits_0():
    completed = run(str(PLANS_DIR / "region_compliant" / "plan.json"))
    assert (json.loads(completed.stdout), completed.returncode) == ([], 0)


def test_an_exceptions_file_removes_the_finding(tmp_path):
    exceptions = tmp_path / "exceptions.yaml"
    exceptions.write_text(
        "incident_manager:\n  exceptions:\n    - id: CKV_IM_15\n"
        "      resource: aws_ssmincidents_replication_set.main\n"
        "      reason: the re-key is planned with a maintenance window\n"
    )
    completed = run(str(PLANS_DIR / "plan_rekey_replication_set" / "plan.json"), "--data", str(exceptions))
    assert (json.loads(completed.stdout), completed.returncode) == ([], 0)


def test_an_unreadable_plan_exits_2(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text("{ not json")
    completed = run(str(plan))
    assert completed.returncode == 2 and "error:" in completed.stderr and completed.stdout == ""
