"""The real ``checkov`` and ``cfn-lint`` commands on CloudFormation, as users run them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from support.cfn_lint_scan import CFN_LINT_RULES_DIR, CKV_IM_OF_LINT_ID
from support.checkov_cli import by_id_and_resource, install_library, run_checkov
from support.manifest import FIXTURES_DIR, REPO_ROOT, expected_verdicts

CFN_LINT = Path(sys.executable).with_name("cfn-lint")
EXAMPLE = REPO_ROOT / "examples" / "cloudformation" / "incident-manager.yaml"


def checkov_verdicts(*arguments: str, cwd: Path = REPO_ROOT) -> dict[tuple[str, str], str]:
    results = run_checkov("--framework", "cloudformation", *arguments, cwd=cwd)
    return {key: result["check_result"]["result"] for key, result in by_id_and_resource(results).items()}


def manifest_without_unknowns(fixture: str) -> dict[tuple[str, str], str]:
    return {key: verdict for key, verdict in expected_verdicts(fixture).items() if verdict != "UNKNOWN"}


def run_cfn_lint(*arguments: str, cwd: Path = REPO_ROOT) -> list[tuple[str, str, int, str]]:
    """(rule ID, file, line, message) of every finding, from cfn-lint's parseable output."""
    completed = subprocess.run(
        [str(CFN_LINT), "--format", "parseable", *arguments], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    assert completed.returncode in (0, 2, 4, 6, 8, 10, 12, 14), completed.stderr[-3000:]
    findings = []
    for line in completed.stdout.splitlines():
        path, line_number, _, _, _, rule_id, message = line.split(":", 6)
        findings.append((rule_id, path, int(line_number), message))
    return findings


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_checkov_directory_scan_of_a_cdk_synth_gives_the_manifest_verdicts():
    fixture = "cloudformation/cdk_synth"
    assert checkov_verdicts(
        "-d", str(FIXTURES_DIR / fixture), "--external-checks-dir", "checks"
    ) == manifest_without_unknowns(fixture)


def test_checkov_file_scan_from_another_directory_gives_the_manifest_verdicts(tmp_path):
    """-f with a relative path, run outside the repository: the pack still finds the file it reads."""
    fixture = "cloudformation/region_stack_key_beside_stack_region_entry"
    template = next((FIXTURES_DIR / fixture).glob("template.*"))
    verdicts = checkov_verdicts("-f", str(template), "--external-checks-dir", str(REPO_ROOT / "checks"), cwd=tmp_path)
    assert verdicts == manifest_without_unknowns(fixture)


def test_checkov_reports_severity_and_guideline_on_cloudformation():
    results = by_id_and_resource(
        run_checkov("--framework", "cloudformation", "-f", str(EXAMPLE), "--external-checks-dir", "checks")
    )
    region = results[("CKV_IM_3", "AWS::SSMIncidents::ReplicationSet.ReplicationSet")]
    assert region["check_result"]["result"] == "FAILED"
    assert region["severity"] == "HIGH"
    assert region["guideline"].endswith("docs/rules/CKV_IM_3.md")


def test_cfn_lint_command_reports_the_example_at_the_offending_lines():
    findings = run_cfn_lint(
        str(EXAMPLE.relative_to(REPO_ROOT)), "--include-checks", "I", "--append-rules", "checks/cfn_lint"
    )
    pack = {(rule_id, line) for rule_id, _, line, message in findings if rule_id in CKV_IM_OF_LINT_ID}
    assert ("W9014", line_of(EXAMPLE, "SseKmsKeyId: !Ref WestIncidentKey")) in pack
    assert ("E9003", line_of(EXAMPLE, "SseKmsKeyId: !GetAtt IncidentKey.Arn")) in pack
    assert ("W9010", line_of(EXAMPLE, "DisplayName: Database outage")) in pack
    assert ("E9011", line_of(EXAMPLE, "https://status.example.com")) in pack
    assert {rule_id for rule_id, _ in pack} == {"E9003", "E9007", "W9009", "W9010", "E9011", "W9012", "W9014"}
    assert all(
        message.startswith(CKV_IM_OF_LINT_ID[rule_id] + ": ")
        for rule_id, _, _, message in findings
        if rule_id in CKV_IM_OF_LINT_ID
    )
    # the example is a real template: cfn-lint's own rules find no error in it
    assert [f for f in findings if f[0].startswith("E") and f[0] not in CKV_IM_OF_LINT_ID] == []


def test_cfn_lint_command_with_several_templates_before_the_rules_from_another_directory(tmp_path):
    """Templates first: --append-rules takes several values and would swallow a template named after it."""
    good = FIXTURES_DIR / "cloudformation" / "baseline" / "template.yaml"
    bad = FIXTURES_DIR / "cloudformation" / "guard_missing" / "template.yaml"
    findings = run_cfn_lint(str(good), str(bad), "--append-rules", str(CFN_LINT_RULES_DIR), cwd=tmp_path)
    pack = [(rule_id, Path(path).parent.name) for rule_id, path, _, _ in findings if rule_id in CKV_IM_OF_LINT_ID]
    expected = {("W9006", "guard_missing")}
    assert set(pack) == expected and len(pack) == len(expected)


def test_i_level_rules_show_only_when_included():
    template = str((FIXTURES_DIR / "cloudformation" / "cmk_all_aws_owned" / "template.yaml").relative_to(REPO_ROOT))
    without = {f[0] for f in run_cfn_lint(template, "--append-rules", "checks/cfn_lint")}
    with_info = {f[0] for f in run_cfn_lint(template, "--include-checks", "I", "--append-rules", "checks/cfn_lint")}
    assert "I9013" not in without and "I9013" in with_info


def test_suppressions_in_resource_metadata_are_honoured(tmp_path):
    """Checkov's `Metadata: checkov: skip` and cfn-lint's `Metadata: cfn-lint: config: ignore_checks`."""
    template = (FIXTURES_DIR / "cloudformation" / "guard_missing" / "template.yaml").read_text()
    anchor = "    Type: AWS::SSMIncidents::ReplicationSet\n"
    assert anchor in template
    suppressed = template.replace(
        anchor,
        anchor
        + (
            "    Metadata:\n"
            "      checkov:\n"
            "        skip:\n"
            "          - id: CKV_IM_6\n"
            "            comment: the set is guarded by an AWS Backup vault lock outside this stack\n"
            "      cfn-lint:\n"
            "        config:\n"
            "          ignore_checks:\n"
            "            - W9006\n"
        ),
    )
    (tmp_path / "template.yaml").write_text(suppressed)
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("checkov")),
            "--skip-download",
            "-o",
            "json",
            "--framework",
            "cloudformation",
            "-d",
            str(tmp_path),
            "--external-checks-dir",
            str(REPO_ROOT / "checks"),
            "--check",
            "CKV_IM_6",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(completed.stdout)
    skipped = [(r["check_id"], r["resource"]) for r in report["results"]["skipped_checks"]]
    assert skipped == [("CKV_IM_6", "AWS::SSMIncidents::ReplicationSet.ReplicationSet")]
    assert report["results"]["failed_checks"] == []
    findings = run_cfn_lint(str(tmp_path / "template.yaml"), "--append-rules", str(CFN_LINT_RULES_DIR))
    assert [f for f in findings if f[0] == "W9006"] == []


def test_cloudformation_checks_and_cfn_lint_rules_work_from_an_installed_library(tmp_path):
    """With ckv_im installed, copies of checks/cloudformation and checks/cfn_lint alone are enough."""
    site = install_library(tmp_path)
    checks_only = tmp_path / "checks"
    shutil.copytree(REPO_ROOT / "checks" / "cloudformation", checks_only / "cloudformation")
    (checks_only / "__init__.py").touch()
    shutil.copytree(REPO_ROOT / "checks" / "cfn_lint", tmp_path / "lint_rules")
    environment = {**os.environ, "PYTHONPATH": str(site)}
    results = by_id_and_resource(
        run_checkov(
            "--framework",
            "cloudformation",
            "-f",
            str(EXAMPLE),
            "--external-checks-dir",
            str(checks_only),
            env={"PYTHONPATH": str(site)},
            cwd=tmp_path,
        )
    )
    assert (
        results[("CKV_IM_3", "AWS::SSMIncidents::ReplicationSet.ReplicationSet")]["check_result"]["result"] == "FAILED"
    )
    completed = subprocess.run(
        [str(CFN_LINT), "--format", "parseable", str(EXAMPLE), "--append-rules", str(tmp_path / "lint_rules")],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ":E9003:" in completed.stdout, completed.stdout + completed.stderr[-2000:]
