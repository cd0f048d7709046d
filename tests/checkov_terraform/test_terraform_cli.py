"""The real ``checkov`` command, as users run it, with the pack as an external checks directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from support.checkov_cli import CHECKOV, by_id_and_resource, install_library, run_checkov
from support.manifest import REPO_ROOT


@pytest.fixture(scope="module")
def example_results():
    return by_id_and_resource(run_checkov("-d", "examples/terraform", "--external-checks-dir", "checks"))


def test_example_findings_name_what_to_change(example_results):
    region = example_results[("CKV_IM_3", "aws_ssmincidents_replication_set.main")]
    assert region["check_result"]["result"] == "FAILED"
    assert any(
        "us-west-2" in line and "aws_kms_key.incident_west" in line and "us-east-1" in line
        for line in region["details"]
    ), region["details"]
    assert region["severity"] == "HIGH"
    assert region["guideline"].endswith("docs/rules/CKV_IM_3.md")
    assert region["file_line_range"][0] > 1

    grant = example_results[("CKV_IM_7", "aws_kms_key.incident_west")]
    assert grant["check_result"]["result"] == "FAILED"
    assert example_results[("CKV_IM_7", "aws_kms_key.incident_east")]["check_result"]["result"] == "PASSED"
    assert example_results[("CKV_IM_14", "aws_ssmincidents_replication_set.main")]["check_result"]["result"] == "FAILED"
    assert example_results[("CKV_IM_12", "aws_sns_topic.incident_chat")]["check_result"]["result"] == "FAILED"
    assert (
        example_results[("CKV_IM_10", "aws_ssmincidents_response_plan.database_outage")]["check_result"]["result"]
        == "FAILED"
    )
    credentials = example_results[("CKV_IM_11", "aws_ssmincidents_response_plan.database_outage")]
    assert credentials["check_result"]["result"] == "FAILED"
    assert not any("0123456789abcdef" in line for line in credentials["details"]), "the secret must not be logged"


def test_check_by_severity_runs_only_high_rules():
    results = by_id_and_resource(
        run_checkov("-d", "examples/terraform", "--external-checks-dir", "checks", "--check", "HIGH")
    )
    severities = {r["severity"] for r in results.values()}
    assert severities == {"HIGH"}
    assert ("CKV_IM_3", "aws_ssmincidents_replication_set.main") in results
    assert ("CKV_IM_14", "aws_ssmincidents_replication_set.main") not in results


def test_pack_works_from_an_installed_library(tmp_path):
    """After ``pip install .`` the check files import the installed ckv_im, not the one beside them."""
    site = install_library(tmp_path)
    checks_only = tmp_path / "checks"
    shutil.copytree(REPO_ROOT / "checks" / "terraform", checks_only / "terraform")
    (checks_only / "__init__.py").touch()
    results = by_id_and_resource(
        run_checkov(
            "-d",
            str(REPO_ROOT / "examples" / "terraform"),
            "--external-checks-dir",
            str(checks_only),
            env={"PYTHONPATH": str(site)},
            cwd=tmp_path,
        )
    )
    assert results[("CKV_IM_3", "aws_ssmincidents_replication_set.main")]["check_result"]["result"] == "FAILED"


def test_var_file_resolves_a_provider_region(tmp_path):
    """region_provider_unresolved leaves CKV_IM_3 UNKNOWN; a --var-file gives Checkov the value."""
    fixture = REPO_ROOT / "fixtures" / "terraform" / "region_provider_unresolved"
    key = ("CKV_IM_3", "aws_ssmincidents_replication_set.main")
    without = by_id_and_resource(run_checkov("-d", str(fixture), "--external-checks-dir", "checks"))
    assert key not in without
    for region, verdict in (("us-west-2", "PASSED"), ("eu-west-1", "FAILED")):
        var_file = tmp_path / f"{region}.tfvars"
        var_file.write_text(f'secondary_region = "{region}"\n')
        with_file = by_id_and_resource(
            run_checkov("-d", str(fixture), "--external-checks-dir", "checks", "--var-file", str(var_file))
        )
        assert with_file[key]["check_result"]["result"] == verdict


def test_details_name_the_line_of_the_region_entry():
    fixture = REPO_ROOT / "fixtures" / "terraform" / "region_key_in_wrong_region"
    results = by_id_and_resource(
        run_checkov("-d", str(fixture), "--external-checks-dir", "checks", "--check", "CKV_IM_3")
    )
    result = results[("CKV_IM_3", "aws_ssmincidents_replication_set.main")]
    lines = (fixture / "main.tf").read_text().splitlines()
    detail = result["details"][0]
    line = int(detail.split("(line ")[1].split(")")[0])
    assert lines[line - 1].strip() == "region {" and 'name        = "us-west-2"' in lines[line]


def test_skip_comment_is_honoured(tmp_path):
    source = (REPO_ROOT / "fixtures" / "terraform" / "region_key_in_wrong_region" / "main.tf").read_text()
    skipped = source.replace(
        'resource "aws_ssmincidents_replication_set" "main" {',
        'resource "aws_ssmincidents_replication_set" "main" {\n'
        "  #checkov:skip=CKV_IM_3:the us-west-2 key is being moved",
    )
    (tmp_path / "main.tf").write_text(skipped)
    command = [
        str(CHECKOV),
        "--skip-download",
        "--framework",
        "terraform",
        "-d",
        str(tmp_path),
        "--external-checks-dir",
        "checks",
        "--check",
        "CKV_IM_3",
        "-o",
        "json",
    ]
    report = json.loads(subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600).stdout)
    skipped_checks = [
        (c["check_id"], c["check_result"]["suppress_comment"]) for c in report["results"]["skipped_checks"]
    ]
    assert skipped_checks == [("CKV_IM_3", "the us-west-2 key is being moved")]


def test_sarif_links_each_finding_to_its_rule_page(tmp_path):
    """SARIF keeps a helpUri only for web URLs: CKV_IM_GUIDELINE_BASE points the links at published pages."""
    fixture = REPO_ROOT / "fixtures" / "terraform" / "region_key_in_wrong_region"
    subprocess.run(
        [
            str(CHECKOV),
            "--skip-download",
            "--framework",
            "terraform",
            "-d",
            str(fixture),
            "--external-checks-dir",
            "checks",
            "--check",
            "CKV_IM_3",
            "-o",
            "sarif",
            "--output-file-path",
            str(tmp_path),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        timeout=600,
        env={**os.environ, "CKV_IM_GUIDELINE_BASE": "https://example.org/pack/docs/rules/"},
    )
    sarif = json.loads((tmp_path / "results_sarif.sarif").read_text())
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["CKV_IM_3"]["helpUri"] == "https://example.org/pack/docs/rules/CKV_IM_3.md"
    result = sarif["runs"][0]["results"][0]
    assert result["ruleId"] == "CKV_IM_3" and result["level"] == "error"
