"""Pull-request annotations: the SARIF of Checkov (through ckv-im) and of cfn-lint read back, and Checkov's
other CI outputs (github_failed_only, junitxml, cli).

Each CKV_IM result must carry its rule ID, a level from its severity, help text, a help link, and a region
inside the offending resource block of the right file: for Terraform, CloudFormation and a plan pointed
back at its .tf source. The resource blocks are found in the files here, not taken from Checkov.
The help link is a web address because CKV_IM_GUIDELINE_BASE is set: Checkov's SARIF drops a file:// one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import yaml

from ckv_im.catalogue import RULES
from ckv_im.cfn_lint_shell import lint_rule_id
from support.ckv_im_command import SarifResult, checkov_json_results, run_ckv_im, sarif_results
from support.manifest import FIXTURES_DIR, REPO_ROOT

GUIDELINE_BASE = "https://example.org/incident-manager-pack/docs/rules"
ENVIRONMENT = {"CKV_IM_GUIDELINE_BASE": GUIDELINE_BASE}
SARIF_LEVEL = {"HIGH": "error", "MEDIUM": "warning", "LOW": "note"}
TERRAFORM_FIXTURE = FIXTURES_DIR / "terraform" / "region_key_in_wrong_region"
PLAN_SOURCE = FIXTURES_DIR / "terraform" / "im_personal_data"
PLAN = FIXTURES_DIR / "terraform_plan" / "im_personal_data" / "plan.json"
TEMPLATE = FIXTURES_DIR / "cloudformation" / "policy_wildcard_principal_without_caller_pin" / "template.yaml"
REPLICATION_SET = "aws_ssmincidents_replication_set.main"
CKV_IM_OF_LINT_ID = {lint_rule_id(rule_id): rule_id for rule_id in RULES}


def relative(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def terraform_block_lines(source: Path, resource: str) -> tuple[int, int]:
    """First and last line of ``resource "type" "name" {`` ... ``}`` in a terraform-fmt'ed file."""
    resource_type, name = resource.rsplit(".", 1)
    lines = source.read_text(encoding="utf-8").splitlines()
    header = re.compile(rf'^resource\s+"{re.escape(resource_type)}"\s+"{re.escape(name)}"\s*\{{')
    [start] = [number for number, line in enumerate(lines, 1) if header.match(line)]
    end = next(number for number, line in enumerate(lines[start:], start + 1) if line == "}")
    return start, end


def template_block_lines(template: Path, logical_id: str) -> tuple[int, int]:
    """First and last line of a resource of a YAML template (its key, up to the next resource or section)."""
    lines = template.read_text(encoding="utf-8").splitlines()
    [start] = [number for number, line in enumerate(lines, 1) if line == f"  {logical_id}:"]
    following = (number for number, line in enumerate(lines[start:], start + 1) if re.match(r"^ {0,2}\S", line))
    end = next(following, len(lines) + 1) - 1
    while not lines[end - 1].strip():  # the blank lines between resources belong to neither
        end -= 1
    return start, end


def checkov_sarif_and_json(tmp_path: Path, *arguments: str) -> tuple[list[SarifResult], list[dict]]:
    """One ckv-im run writing SARIF and JSON (several outputs: each --output-file-path entry is a file)."""
    sarif, report = tmp_path / "results.sarif", tmp_path / "results.json"
    completed = run_ckv_im(
        *arguments, "-o", "sarif", "-o", "json", "--output-file-path", f"{sarif},{report}", env=ENVIRONMENT
    )
    assert completed.returncode == 1, completed.stderr[-3000:]
    results = [result for result in sarif_results(sarif) if result.rule_id.startswith("CKV_IM_")]
    failed = checkov_json_results(report.read_text(encoding="utf-8"))
    assert results and len(results) == len(failed), (results, failed)
    return results, failed


def assert_rule_metadata(result: SarifResult, rule_id: str) -> None:
    rule = RULES[rule_id]
    assert result.level == SARIF_LEVEL[rule.severity], (rule_id, result.level)
    assert rule.title in result.rule["help"]["text"] or rule.title in result.rule["fullDescription"]["text"]
    assert result.rule["helpUri"] == f"{GUIDELINE_BASE}/{rule_id}.md"


def assert_at_resource_blocks(results: list[SarifResult], failed: list[dict], source: Path, block_lines) -> None:
    """Every SARIF result points at the block of the resource its JSON twin names, in ``source``."""
    expected = sorted((r["check_id"], relative(source), *block_lines(source, r["resource"])) for r in failed)
    pointed = sorted((r.rule_id, r.uri, r.start_line, r.end_line) for r in results)
    assert pointed == expected


def test_checkov_sarif_on_terraform(tmp_path):
    results, failed = checkov_sarif_and_json(tmp_path, "-d", relative(TERRAFORM_FIXTURE))
    for result in results:
        assert_rule_metadata(result, result.rule_id)
    assert_at_resource_blocks(results, failed, TERRAFORM_FIXTURE / "main.tf", terraform_block_lines)


def test_checkov_sarif_keeps_the_details_lines_as_attachments(tmp_path):
    """Checkov's SARIF message is the check's title; the details lines (which entry, key or statement is at
    fault) are only in each result's attachments (README: what GitHub shows)."""
    import json

    sarif, report = tmp_path / "results.sarif", tmp_path / "results.json"
    run_ckv_im(
        "-d", relative(TERRAFORM_FIXTURE), "--check", "CKV_IM_3", "-o", "sarif", "-o", "json",
        "--output-file-path", f"{sarif},{report}",
    )  # fmt: skip
    [result] = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    [failed] = checkov_json_results(report.read_text(encoding="utf-8"))
    assert result["message"]["text"] == RULES["CKV_IM_3"].title
    assert [attachment["description"] for attachment in result["attachments"]] == failed["details"]
    assert "us-west-2 (line 71)" in failed["details"][0]


def test_checkov_sarif_on_a_plan_points_at_the_terraform_source(tmp_path):
    results, failed = checkov_sarif_and_json(
        tmp_path,
        "-f",
        relative(PLAN),
        "--framework",
        "terraform_plan",
        "--repo-root-for-plan-enrichment",
        relative(PLAN_SOURCE),
    )
    for result in results:
        assert_rule_metadata(result, result.rule_id)
    assert {result.uri for result in results} == {relative(PLAN_SOURCE / "main.tf")}
    assert_at_resource_blocks(results, failed, PLAN_SOURCE / "main.tf", terraform_block_lines)


def test_checkov_sarif_on_cloudformation(tmp_path):
    results, failed = checkov_sarif_and_json(tmp_path, "-f", relative(TEMPLATE), "--framework", "cloudformation")
    for result in results:
        assert_rule_metadata(result, result.rule_id)

    def block_lines(template: Path, resource: str) -> tuple[int, int]:
        return template_block_lines(template, resource.rsplit(".", 1)[1])

    assert_at_resource_blocks(results, failed, TEMPLATE, block_lines)


def test_cfn_lint_sarif(tmp_path):
    """cfn-lint's SARIF names the E9nnn/W9nnn/I9nnn rule; its message starts with the CKV_IM ID and says why,
    at the offending property's line, inside the resource."""
    completed = run_ckv_im("cfn-lint", relative(TEMPLATE), "--format", "sarif", env=ENVIRONMENT)
    sarif = tmp_path / "cfn-lint.sarif"
    sarif.write_text(completed.stdout, encoding="utf-8")
    results = [result for result in sarif_results(sarif) if result.rule_id in CKV_IM_OF_LINT_ID]
    assert results, completed.stdout[-3000:]
    resources = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8").replace("!", ""))["Resources"]
    for result in results:
        rule_id = CKV_IM_OF_LINT_ID[result.rule_id]
        assert result.message.startswith(f"{rule_id}: ")
        assert result.level == SARIF_LEVEL[RULES[rule_id].severity]
        assert RULES[rule_id].title in result.rule["fullDescription"]["text"]
        assert result.rule["helpUri"] == f"{GUIDELINE_BASE}/{rule_id}.md"
        assert result.uri == relative(TEMPLATE)
        [logical_id] = [name for name in resources if f".{name}:" in result.message]
        start, end = template_block_lines(TEMPLATE, logical_id)
        assert start <= result.start_line <= end, (result, start, end)


def test_github_junit_and_cli_outputs_are_readable(tmp_path):
    markdown, junit = tmp_path / "checkov.md", tmp_path / "junit.xml"
    completed = run_ckv_im(
        "-d", relative(TERRAFORM_FIXTURE), "-o", "cli", "-o", "github_failed_only", "-o", "junitxml",
        "--output-file-path", f"console,{markdown},{junit}", env=ENVIRONMENT,
    )  # fmt: skip
    assert completed.returncode == 1, completed.stderr[-3000:]
    # cli: the finding with its details line and rule page
    assert "Check: CKV_IM_3:" in completed.stdout
    assert "FAILED for resource: aws_ssmincidents_replication_set.main" in completed.stdout
    assert "Details: Region entry us-west-2 (line 71)" in completed.stdout
    assert f"Guide: {GUIDELINE_BASE}/CKV_IM_3.md" in completed.stdout
    # github_failed_only: a Markdown table with one row per failed check, its file and rule page
    rows = [line for line in markdown.read_text(encoding="utf-8").splitlines() if line.startswith("| CKV_IM_")]
    assert len(rows) == 1 and "aws_ssmincidents_replication_set.main" in rows[0], rows
    assert f"({GUIDELINE_BASE}/CKV_IM_3.md)" in rows[0] and "/main.tf" in rows[0]
    # junitxml: one failed test case per finding, named by the check
    suites = ElementTree.parse(junit).getroot()
    failures = [case for case in suites.iter("testcase") if case.find("failure") is not None]
    [failure] = failures
    assert "CKV_IM_3" in failure.get("name"), failure.attrib
    assert REPLICATION_SET in failure.get("name") + failure.get("classname", ""), failure.attrib
    assert int(suites.find("testsuite").get("failures")) == 1
