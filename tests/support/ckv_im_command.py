"""The ``ckv-im`` console command run as users run it, and its outputs (JSON, SARIF, cfn-lint JSON) read back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from support.manifest import REPO_ROOT

TIMEOUT_SECONDS = 900


def run_ckv_im(
    *arguments: str, bin_dir: Path | None = None, cwd: Path = REPO_ROOT, env: dict | None = None
) -> subprocess.CompletedProcess:
    """``ckv-im ARGUMENTS``: the installed command of ``bin_dir``, or this checkout's (``python -m ckv_im.cli``)."""
    if bin_dir is None:
        command = [sys.executable, "-m", "ckv_im.cli"]
        environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "checks"), **(env or {})}
    else:
        command = [str(bin_dir / "ckv-im")]
        environment = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, **(env or {})}
    return subprocess.run(
        [*command, *arguments],
        cwd=cwd,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def _reports(stdout: str) -> list[dict]:
    report = json.loads(stdout)
    return report if isinstance(report, list) else [report]


def checkov_json_verdicts(stdout: str) -> dict[tuple[str, str], str]:
    """(check ID, resource) -> PASSED / FAILED / SKIPPED from Checkov's ``-o json`` output, any check."""
    verdicts = {}
    for report in _reports(stdout):
        for status in ("passed", "failed", "skipped"):
            for result in report.get("results", {}).get(f"{status}_checks", []):
                key = (result["check_id"], result["resource"])
                assert key not in verdicts, f"{key} reported twice"
                verdicts[key] = status.upper()
    return verdicts


def checkov_json_results(stdout: str, status: str = "failed") -> list[dict]:
    return [result for report in _reports(stdout) for result in report.get("results", {}).get(f"{status}_checks", [])]


@dataclass(frozen=True)
class SarifResult:
    rule_id: str
    level: str
    uri: str
    start_line: int
    end_line: int
    message: str
    rule: dict  # the tool.driver.rules entry the result points at
    suppressed: bool


def sarif_results(path: Path) -> list[SarifResult]:
    """Every result of a SARIF file, with the rule it points at (the first location only)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == "2.1.0", document.get("version")
    results = []
    for run in document["runs"]:
        rules = run["tool"]["driver"].get("rules", [])
        by_id = {rule["id"]: rule for rule in rules}
        for result in run.get("results", []):
            location = result["locations"][0]["physicalLocation"]
            region = location.get("region", {})
            rule = rules[result["ruleIndex"]] if "ruleIndex" in result else by_id[result["ruleId"]]
            results.append(
                SarifResult(
                    rule_id=result["ruleId"],
                    level=result.get("level", rule.get("defaultConfiguration", {}).get("level", "warning")),
                    uri=location["artifactLocation"]["uri"],
                    start_line=region.get("startLine", 1),
                    end_line=region.get("endLine", region.get("startLine", 1)),
                    message=result["message"]["text"],
                    rule=rule,
                    suppressed=bool(result.get("suppressions")),
                )
            )
    return results


def sarif_file(output_path: Path) -> Path:
    """Checkov writes ``--output-file-path DIR`` SARIF as DIR/results_sarif.sarif."""
    return output_path / "results_sarif.sarif" if output_path.is_dir() else output_path


# --- one fixture through each entry of the command, against the manifest --------------------------------
ENTRIES = ("terraform", "terraform_plan", "cloudformation", "cfn_lint", "rego_plan")


def _template_of(fixture: str) -> Path:
    [template] = [p for p in sorted((REPO_ROOT / "fixtures" / fixture).iterdir()) if p.suffix in (".yaml", ".json")]
    return template


def _cfn_lint_verdicts(stdout: str, template: Path) -> dict[tuple[str, str], str]:
    """(CKV_IM ID, resource as Checkov names it) -> FAILED from cfn-lint's ``-f json`` output."""
    from cfnlint.decode import decode

    decoded, _ = decode(str(template))
    resources = (decoded or {}).get("Resources", {})
    verdicts = {}
    for match in json.loads(stdout):
        rule_id = match["Message"].split(":", 1)[0]
        if rule_id.startswith("CKV_IM_"):
            logical_id = match["Location"]["Path"][1]
            verdicts[(rule_id, f"{resources[logical_id]['Type']}.{logical_id}")] = "FAILED"
    return verdicts


def entry_verdicts(entry: str, fixture: str, bin_dir: Path | None = None) -> dict[tuple[str, str], str]:
    """What ``ckv-im`` reports on a manifest fixture (``terraform/x``, ``cloudformation/y``) through one entry:
    Checkov on HCL, on the fixture's plan, on CloudFormation; cfn-lint; the Rego policies."""
    name = fixture.split("/", 1)[1]
    plan = REPO_ROOT / "fixtures" / "terraform_plan" / name / "plan.json"
    if entry == "cfn_lint":
        template = _template_of(fixture)
        completed = run_ckv_im("cfn-lint", str(template), "-f", "json", bin_dir=bin_dir)
        assert completed.returncode not in (1, 32), completed.stderr[-3000:]  # 1, 32: cfn-lint itself failed
        return _cfn_lint_verdicts(completed.stdout, template)
    if entry == "rego_plan":
        completed = run_ckv_im("opa", str(plan), bin_dir=bin_dir)
        assert completed.returncode in (0, 1), completed.stderr[-3000:]
        return {(finding["id"], finding["resource"]): "FAILED" for finding in json.loads(completed.stdout)}
    target = ("-f", str(plan)) if entry == "terraform_plan" else ("-d", str(REPO_ROOT / "fixtures" / fixture))
    completed = run_ckv_im(*target, "--framework", entry, "-o", "json", bin_dir=bin_dir)
    assert completed.returncode in (0, 1), completed.stderr[-3000:]
    return checkov_json_verdicts(completed.stdout)


def expected_entry_verdicts(entry: str, fixture: str) -> dict[tuple[str, str], str]:
    """The manifest's verdicts for one entry; cfn-lint and the Rego policies report findings only."""
    from support.manifest import expected_verdicts

    engine = entry if entry in ("terraform_plan", "rego_plan") else None
    expected = expected_verdicts(fixture, engine)
    if entry in ("cfn_lint", "rego_plan"):
        return {key: verdict for key, verdict in expected.items() if verdict == "FAILED"}
    return expected
