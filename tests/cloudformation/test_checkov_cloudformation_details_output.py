"""Where a CloudFormation user of Checkov learns *why* a resource failed: the real ``checkov`` output, read back.

Checkov 3.3.30's CloudFormation and Serverless runners build their records without the check's details
lines: its CLI and SARIF output name the failed resource only. The pack adds the details to the check
result, which ``-o json`` prints whole (``check_result.details``). These tests pin down both sides, so a
Checkov upgrade that starts (or stops) printing them is noticed and the README can follow.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from support.cfn_lint_scan import CKV_IM_OF_LINT_ID
from support.checkov_cli import CHECKOV
from support.checkov_scan import CHECKS_DIR
from support.manifest import FIXTURES_DIR, REPO_ROOT

FIXTURE = FIXTURES_DIR / "cloudformation" / "region_stack_key_two_literal_regions"
REPLICATION_SET = "AWS::SSMIncidents::ReplicationSet.ReplicationSet"
DOCS = REPO_ROOT / "docs" / "rules"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    """{"cli": text, "json": text, "sarif": text} of one real Checkov run on the fixture."""
    directory = tmp_path_factory.mktemp("checkov-output")
    completed = subprocess.run(
        [
            str(CHECKOV),
            "--skip-download",
            "--framework",
            "cloudformation",
            "-d",
            str(FIXTURE),
            "--external-checks-dir",
            str(CHECKS_DIR),
            "--check",
            "CKV_IM_*",
            "-o",
            "cli",
            "-o",
            "json",
            "-o",
            "sarif",
            "--output-file-path",
            str(directory),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 1, completed.stderr[-3000:]  # the fixture has findings
    return {
        kind: (directory / name).read_text()
        for kind, name in (("cli", "results_cli.txt"), ("json", "results_json.json"), ("sarif", "results_sarif.sarif"))
    }


@pytest.fixture(scope="module")
def region_result(outputs) -> dict:
    failed = json.loads(outputs["json"])["results"]["failed_checks"]
    return next(r for r in failed if (r["check_id"], r["resource"]) == ("CKV_IM_3", REPLICATION_SET))


def test_json_output_carries_the_reason_in_the_check_result(region_result):
    reason = region_result["check_result"]["details"]
    assert len(reason) == 1 and "us-east-1" in reason[0] and "us-west-2" in reason[0], reason
    assert "IncidentKey" in reason[0], reason


def test_json_output_keeps_checkovs_own_details_field_empty_on_cloudformation(region_result):
    assert region_result["details"] == []


def test_sarif_output_names_the_failed_resource_but_not_the_reason(outputs, region_result):
    results = json.loads(outputs["sarif"])["runs"][0]["results"]
    region = [r for r in results if r["ruleId"] == "CKV_IM_3"]
    assert len(region) == 1
    assert region[0]["attachments"] == []
    assert region[0]["message"]["text"] == region_result["check_name"]
    assert region_result["check_result"]["details"][0] not in outputs["sarif"]


def test_cli_output_names_the_failed_resource_but_not_the_reason(outputs, region_result):
    assert (
        f'Check: CKV_IM_3: "{region_result["check_name"]}"\n\tFAILED for resource: {REPLICATION_SET}' in outputs["cli"]
    )
    assert "Details:" not in outputs["cli"]
    assert region_result["check_result"]["details"][0] not in outputs["cli"]


def test_serverless_json_output_carries_the_reason_too():
    completed = subprocess.run(
        [
            str(CHECKOV),
            "--skip-download",
            "--framework",
            "serverless",
            "-o",
            "json",
            "-d",
            str(FIXTURES_DIR / "cloudformation" / "sls_incident_manager"),
            "--external-checks-dir",
            str(CHECKS_DIR),
            "--check",
            "CKV_IM_12",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    failed = json.loads(completed.stdout)["results"]["failed_checks"]
    topic = next(r for r in failed if r["resource"] == "AWS::SNS::Topic.ChatTopic")
    assert any("no KMS key" in line for line in topic["check_result"]["details"]), topic["check_result"]


@pytest.mark.parametrize("rule_id", sorted(set(CKV_IM_OF_LINT_ID.values())))
def test_rule_pages_say_where_the_cloudformation_reason_shows(rule_id):
    section = (DOCS / f"{rule_id}.md").read_text().split("\n## CloudFormation", 1)[1].split("\n## ", 1)[0]
    assert "`check_result.details`" in section and "cfn-lint" in section and "SARIF" in section


def test_scripts_example_shows_why_the_cloudformation_example_failed():
    """Checkov on both frameworks in one run (its runners in separate processes), then cfn-lint's reasons."""
    completed = subprocess.run(
        [str(REPO_ROOT / "scripts" / "example")], cwd=REPO_ROOT, capture_output=True, text=True, timeout=900
    )
    assert completed.returncode == 1, completed.stdout[-3000:] + completed.stderr[-3000:]
    checkov_part, lint_part = completed.stdout.split("cfn-lint with the pack's rules", 1)
    assert "Traceback" not in completed.stdout + completed.stderr
    for framework, resource in (
        ("terraform", "aws_ssmincidents_replication_set.main"),
        ("cloudformation", REPLICATION_SET),
    ):
        assert f"{framework} scan results:" in checkov_part
        assert f"FAILED for resource: {resource}" in checkov_part
    assert "E9003 CKV_IM_3: " in lint_part and "us-west-2" in lint_part.split("E9003 CKV_IM_3: ", 1)[1].split("\n")[0]
    assert "examples/cloudformation/incident-manager.yaml:" in lint_part


def test_one_run_prints_the_findings_and_writes_their_reasons(tmp_path):
    """The README's recipe: ``-o cli -o json --output-file-path console,results.json``."""
    completed = subprocess.run(
        [
            str(CHECKOV),
            "--skip-download",
            "--framework",
            "cloudformation",
            "-d",
            str(FIXTURE),
            "--external-checks-dir",
            str(CHECKS_DIR),
            "--check",
            "CKV_IM_*",
            "-o",
            "cli",
            "-o",
            "json",
            "--output-file-path",
            "console,results.json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert f"FAILED for resource: {REPLICATION_SET}" in completed.stdout, completed.stderr[-3000:]
    failed = json.loads((tmp_path / "results.json").read_text())["results"]["failed_checks"]
    assert all(result["check_result"]["details"] for result in failed)
