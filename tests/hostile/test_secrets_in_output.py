"""Findings about credentials in URLs and personal data never echo the secret, in any output the
pack produces: Checkov's CLI, JSON and SARIF, cfn-lint's text and SARIF, and the Rego ``msg``
(docs/rules/CKV_IM_10.md, docs/rules/CKV_IM_11.md). No details line carries a line break a CI
log could read as a workflow command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.cfn_lint_scan import CFN_LINT_RULES_DIR
from support.manifest import FIXTURES_DIR, REPO_ROOT

CHECKOV = Path(sys.executable).with_name("checkov")
CFN_LINT = Path(sys.executable).with_name("cfn-lint")
SECRETS = ("outerPa55", "innerPa55", "tok3nValue", "jane.doe", "2079460958")
HOOK = (
    "https://ops:outerPa55@hooks.example.com/relay/https://bot:innerPa55@chat.example.com/"
    "?owner=jane.doe@example.com&phone=+442079460958&token=tok3nValue"
)
INJECTED_KEY = "team\n::error::injected"

TERRAFORM = f"""
resource "aws_ssmincidents_response_plan" "db" {{
  name = "db-outage"

  incident_template {{
    title  = "Database outage"
    impact = 2
  }}

  tags = {{
    hook = "{HOOK}"
    "team\\n::error::injected" = "call jane.doe@example.com"
  }}
}}
"""

TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "Plan": {
            "Type": "AWS::SSMIncidents::ResponsePlan",
            "Properties": {
                "Name": "db-outage",
                "IncidentTemplate": {"Title": "Database outage", "Impact": 2},
                "Tags": [
                    {"Key": "hook", "Value": HOOK},
                    {"Key": INJECTED_KEY, "Value": "call jane.doe@example.com"},
                ],
            },
        }
    },
}


@pytest.fixture(scope="module")
def scanned_tree(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("outputs")
    (tree / "main.tf").write_text(TERRAFORM)
    (tree / "template.json").write_text(json.dumps(TEMPLATE, indent=2))
    return tree


def assert_no_secret(text: str) -> None:
    assert text, "the output is empty"
    for secret in SECRETS:
        assert secret not in text, secret
    for line in text.splitlines():
        assert not line.lstrip().startswith("::error"), line


def pack_text_of_json(report: str) -> str:
    """What the pack wrote into Checkov's JSON report: the check names and details lines."""
    reports = json.loads(report)
    lines = []
    for one in reports if isinstance(reports, list) else [reports]:
        for result in one["results"]["failed_checks"] + one["results"]["passed_checks"]:
            lines += [result["check_name"], *(result.get("details") or [])]
    return "\n".join(lines)


def pack_text_of_sarif(report: str) -> str:
    """The messages of a SARIF report (the snippets are Checkov's copies of the source)."""
    return "\n".join(result["message"]["text"] for run in json.loads(report)["runs"] for result in run["results"])


def test_checkov_cli_json_and_sarif_never_echo_a_secret(scanned_tree, tmp_path):
    """The pack's own text in every Checkov format. Checkov copies the source itself into JSON
    (``code_block``, ``entity_tags``), SARIF (``snippet``) and the CLI without ``--compact``: the
    README's security section says so."""
    out = tmp_path / "out"
    command = [str(CHECKOV), "--skip-download", "-d", str(scanned_tree), "--framework", "terraform", "cloudformation"]
    command += ["--external-checks-dir", str(REPO_ROOT / "checks"), "--check", "CKV_IM_10,CKV_IM_11", "--compact"]
    command += ["-o", "cli", "-o", "json", "-o", "sarif", "--output-file-path", str(out)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600, env=dict(os.environ))
    assert completed.returncode == 1, completed.stderr[-3000:]
    json_text = pack_text_of_json((out / "results_json.json").read_text())
    assert "carries a password" in json_text and "e-mail address j***@example.com" in json_text
    assert_no_secret(json_text)
    assert_no_secret(pack_text_of_sarif((out / "results_sarif.sarif").read_text()))
    cli_text = (out / "results_cli.txt").read_text()
    assert "carries a password" in cli_text
    assert_no_secret(cli_text)


# cfn-lint's SARIF format needs its optional "sarif" extra, which requirements.txt does not install.
@pytest.mark.parametrize("output_format", ["parseable", "pretty", "json"])
def test_cfn_lint_outputs_never_echo_a_secret(scanned_tree, output_format):
    command = [str(CFN_LINT), "--format", output_format, "--append-rules", str(CFN_LINT_RULES_DIR)]
    command += ["--", str(scanned_tree / "template.json")]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert "E9011" in completed.stdout  # CKV_IM_11 reported
    assert_no_secret(completed.stdout)


@pytest.mark.parametrize("fixture", ["im_url_credentials", "im_personal_data"])
def test_rego_messages_never_echo_a_secret(fixture):
    plan = FIXTURES_DIR / "terraform_plan" / fixture / "plan.json"
    source = (FIXTURES_DIR / "terraform" / fixture / "main.tf").read_text()
    secrets = [s for s in ("s3cret", "abc123", "jane.doe", "7946 0321", "2025550143") if s in source]
    assert secrets
    environment = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "checks"))
    completed = subprocess.run(
        [sys.executable, "-m", "ckv_im.opa", str(plan)], capture_output=True, text=True, timeout=600, env=environment
    )
    assert completed.returncode == 1, completed.stderr[-3000:]
    assert "CKV_IM_1" in completed.stdout
    for secret in secrets:
        assert secret not in completed.stdout, secret
