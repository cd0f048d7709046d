"""Suppressions as Checkov users know them, through ckv-im: a skip comment (HCL, and a plan through
--repo-root-for-plan-enrichment), --skip-check, --check by severity, baselines, --soft-fail-on."""

from __future__ import annotations

import shutil
from pathlib import Path

from ckv_im.catalogue import RULES
from support.ckv_im_command import checkov_json_results, checkov_json_verdicts, run_ckv_im
from support.manifest import FIXTURES_DIR, expected_verdicts

REPLICATION_SET = "aws_ssmincidents_replication_set.main"
HEADER = 'resource "aws_ssmincidents_replication_set" "main" {\n'
# region_key_in_wrong_region: CKV_IM_3 (HIGH) is its only finding; im_clean_names: CKV_IM_13 (LOW) is its only one.
HIGH_ONLY = "region_key_in_wrong_region"
LOW_ONLY = "im_clean_names"


def copy_fixture(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES_DIR / "terraform" / name, root, ignore=shutil.ignore_patterns(".terraform*"))
    return root


def add_to_replication_set(root: Path, line: str) -> None:
    """Insert a line at the top of the replication set's block (main.tf, terraform fmt layout)."""
    main = root / "main.tf"
    text = main.read_text(encoding="utf-8")
    assert text.count(HEADER) == 1
    main.write_text(text.replace(HEADER, HEADER + f"  {line}\n"), encoding="utf-8")


def scan(*arguments: str, cwd: Path | None = None) -> tuple[int, dict[tuple[str, str], str]]:
    status, report = scan_report(*arguments, cwd=cwd)
    return status, checkov_json_verdicts(report)


def scan_report(*arguments: str, cwd: Path | None = None) -> tuple[int, str]:
    """ckv-im's exit status and its JSON report."""
    completed = run_ckv_im(*arguments, "-o", "json", **({"cwd": cwd} if cwd else {}))
    assert completed.returncode in (0, 1), completed.stderr[-3000:]
    return completed.returncode, completed.stdout


def failed_of(fixture: str) -> set[tuple[str, str]]:
    return {key for key, verdict in expected_verdicts(f"terraform/{fixture}").items() if verdict == "FAILED"}


def test_the_fixtures_have_the_findings_these_tests_rely_on():
    assert failed_of(HIGH_ONLY) == {("CKV_IM_3", REPLICATION_SET)}
    assert {RULES[rule_id].severity for rule_id, _ in failed_of(LOW_ONLY)} == {"LOW"}


def test_a_skip_comment_in_hcl(tmp_path):
    root = copy_fixture(HIGH_ONLY, tmp_path)
    add_to_replication_set(root, "#checkov:skip=CKV_IM_3:The us-west-2 key is replaced next sprint")
    status, report = scan_report("-d", str(root))
    verdicts = checkov_json_verdicts(report)
    assert verdicts[("CKV_IM_3", REPLICATION_SET)] == "SKIPPED"
    assert verdicts[("CKV_IM_14", REPLICATION_SET)] == "PASSED", "the other rules still run on the resource"
    assert status == 0
    [skipped] = checkov_json_results(report, "skipped")
    assert skipped["check_result"]["suppress_comment"] == "The us-west-2 key is replaced next sprint"


def test_a_skip_comment_reaches_plan_findings_through_enrichment(tmp_path):
    """The plan of im_personal_data fails CKV_IM_13 on the replication set; a skip comment in the .tf source
    given as --repo-root-for-plan-enrichment skips it (the plan itself carries no comments)."""
    plan = FIXTURES_DIR / "terraform_plan" / "im_personal_data" / "plan.json"
    root = copy_fixture("im_personal_data", tmp_path)
    _, before = scan("-f", str(plan), "--framework", "terraform_plan", "--repo-root-for-plan-enrichment", str(root))
    assert before[("CKV_IM_13", REPLICATION_SET)] == "FAILED"
    add_to_replication_set(root, "#checkov:skip=CKV_IM_13:AWS owned key accepted for this account")
    _, after = scan("-f", str(plan), "--framework", "terraform_plan", "--repo-root-for-plan-enrichment", str(root))
    assert after[("CKV_IM_13", REPLICATION_SET)] == "SKIPPED"
    assert {key: verdict for key, verdict in after.items() if key[0] != "CKV_IM_13"} == {
        key: verdict for key, verdict in before.items() if key[0] != "CKV_IM_13"
    }


def test_skip_check_leaves_out_a_rule(tmp_path):
    root = copy_fixture(HIGH_ONLY, tmp_path)
    status, verdicts = scan("-d", str(root), "--skip-check", "CKV_IM_3")
    assert verdicts and not any(rule_id == "CKV_IM_3" for rule_id, _ in verdicts)
    assert all(rule_id.startswith("CKV_IM_") for rule_id, _ in verdicts)
    assert status == 0


def test_check_by_severity_runs_only_those_rules(tmp_path):
    root = copy_fixture("im_personal_data", tmp_path)
    _, verdicts = scan("-d", str(root), "--check", "HIGH")
    assert verdicts and {RULES[rule_id].severity for rule_id, _ in verdicts} == {"HIGH"}
    expected_high = {
        key: verdict
        for key, verdict in expected_verdicts("terraform/im_personal_data").items()
        if RULES[key[0]].severity == "HIGH" and verdict != "UNKNOWN"
    }
    assert verdicts == expected_high


def test_a_baseline_hides_old_findings_and_shows_new_ones(tmp_path):
    root = copy_fixture(HIGH_ONLY, tmp_path)
    status, _ = scan("-d", ".", "--create-baseline", cwd=root)
    baseline = root / ".checkov.baseline"
    assert status == 1 and baseline.is_file()
    status, verdicts = scan("-d", ".", "--baseline", str(baseline), cwd=root)
    assert status == 0 and "FAILED" not in verdicts.values(), verdicts
    # a new finding on the same resource: an e-mail address in a tag (CKV_IM_10)
    main = root / "main.tf"
    main.write_text(
        main.read_text(encoding="utf-8").replace('Team = "sre"', 'Team = "sre"\n    Owner = "jane@example.com"'),
        encoding="utf-8",
    )
    status, verdicts = scan("-d", ".", "--baseline", str(baseline), cwd=root)
    assert status == 1
    assert {key for key, verdict in verdicts.items() if verdict == "FAILED"} == {("CKV_IM_10", REPLICATION_SET)}


def test_soft_fail_on_low_passes_a_low_finding_and_fails_a_high_one(tmp_path):
    low, _ = scan("-d", str(copy_fixture(LOW_ONLY, tmp_path)), "--soft-fail-on", "LOW")
    high, verdicts = scan("-d", str(copy_fixture(HIGH_ONLY, tmp_path)), "--soft-fail-on", "LOW")
    assert (low, high) == (0, 1)
    assert verdicts[("CKV_IM_3", REPLICATION_SET)] == "FAILED"
