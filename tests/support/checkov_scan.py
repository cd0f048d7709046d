"""Run Checkov's own runners in-process with the pack loaded as external checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

from checkov.runner_filter import RunnerFilter
from checkov.terraform.runner import Runner as TerraformRunner

from ckv_im import engine_shell
from ckv_im.catalogue import RULES

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKS_DIR = REPO_ROOT / "checks"
RULE_IDS = sorted(RULES)


def checkov_verdicts(report) -> dict[tuple[str, str], str]:
    verdicts = {}
    for status, records in (("PASSED", report.passed_checks), ("FAILED", report.failed_checks)):
        for record in records:
            if record.check_id in RULES:
                key = (record.check_id, record.resource)
                assert key not in verdicts, f"{key} reported twice"
                verdicts[key] = status
    return verdicts


def assert_verdicts_match(reported: dict, expected: dict) -> None:
    """Every listed PASSED/FAILED reported, every listed UNKNOWN absent, nothing reported unlisted."""
    wrong = {
        key: (verdict, reported.get(key, "not reported (UNKNOWN)"))
        for key, verdict in expected.items()
        if reported.get(key, "UNKNOWN") != verdict
    }
    unlisted = {key: verdict for key, verdict in reported.items() if key not in expected}
    assert not wrong, f"expected vs reported: {wrong}"
    assert not unlisted, f"reported but not in the manifest: {unlisted}"


def scan_terraform(directory: Path):
    runner = TerraformRunner()
    return runner.run(
        root_folder=str(directory),
        external_checks_dir=[str(CHECKS_DIR)],
        runner_filter=RunnerFilter(framework=["terraform"], checks=RULE_IDS),
    )


def scan_terraform_json(directory: Path):
    from checkov.terraform_json.runner import TerraformJsonRunner

    runner = TerraformJsonRunner()
    return runner.run(
        root_folder=str(directory),
        external_checks_dir=[str(CHECKS_DIR)],
        runner_filter=RunnerFilter(framework=["terraform_json"], checks=RULE_IDS),
    )


def scan_plan(plan: Path):
    from checkov.terraform.plan_runner import Runner as PlanRunner

    return PlanRunner().run(
        root_folder=None,
        files=[str(plan)],
        external_checks_dir=[str(CHECKS_DIR)],
        runner_filter=RunnerFilter(framework=["terraform_plan"], checks=RULE_IDS),
    )


def scan_cloudformation(directory: Path):
    from checkov.cloudformation.runner import Runner as CloudFormationRunner

    return CloudFormationRunner().run(
        root_folder=str(directory),
        external_checks_dir=[str(CHECKS_DIR)],
        runner_filter=RunnerFilter(framework=["cloudformation"], checks=RULE_IDS),
    )


def scan_serverless(directory: Path):
    from checkov.serverless.runner import Runner as ServerlessRunner

    return ServerlessRunner().run(
        root_folder=str(directory),
        external_checks_dir=[str(CHECKS_DIR)],
        runner_filter=RunnerFilter(framework=["serverless"], checks=RULE_IDS),
    )


PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n'


def scan_source(tmp_path, source: str, extra_files: dict[str, str] | None = None):
    """Checkov's verdicts on a main.tf of a us-east-1 provider and ``source``; no check may hit an internal error."""
    root = tmp_path / "scan"
    root.mkdir()
    (root / "main.tf").write_text(PROVIDER + textwrap.dedent(source))
    for name, content in (extra_files or {}).items():
        (root / name).write_text(content)
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    verdicts = checkov_verdicts(scan_terraform(root))
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
    return verdicts
