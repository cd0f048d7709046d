"""Terraform plan JSON: Checkov's plan runner on real plans gives the manifest's plan verdicts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ckv_im import engine_shell
from ckv_im.model import is_unknown
from ckv_im.plan_model import plan_model
from support.checkov_scan import assert_verdicts_match, checkov_verdicts, scan_plan
from support.mangled import mangled
from support.manifest import FIXTURES_DIR, REPO_ROOT, expected_verdicts

PLANS_DIR = FIXTURES_DIR / "terraform_plan"
PLANS = sorted(path.parent.name for path in PLANS_DIR.glob("*/plan.json"))


@pytest.mark.parametrize("name", PLANS)
def test_checkov_plan_matches_manifest(name):
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    reported = checkov_verdicts(scan_plan(PLANS_DIR / name / "plan.json"))
    expected = expected_verdicts(f"terraform/{name}", engine="terraform_plan")
    assert_verdicts_match(reported, expected)
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []


def test_checkov_command_on_a_plan():
    plan = PLANS_DIR / "plan_rekey_replication_set" / "plan.json"
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("checkov")),
            "-f",
            str(plan),
            "--framework",
            "terraform_plan",
            "--external-checks-dir",
            "checks",
            "--skip-download",
            "--check",
            "CKV_IM_15",
            "-o",
            "json",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(completed.stdout)
    failed = [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]]
    assert failed == [("CKV_IM_15", "aws_ssmincidents_replication_set.main")]
    assert completed.returncode == 1


# --- plans the pack cannot read ----------------------------------------------------------------------
def real_plan() -> dict:
    return json.loads((PLANS_DIR / "region_compliant" / "plan.json").read_text())


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (lambda text: text[: len(text) // 2], "not readable JSON"),
        (lambda text: json.dumps({**json.loads(text), "errored": True}), "errored"),
        (lambda text: json.dumps({**json.loads(text), "format_version": "0.1"}), "format_version 0.1"),
        (
            lambda text: json.dumps({k: v for k, v in json.loads(text).items() if k != "format_version"}),
            "format_version",
        ),
        (lambda text: "[]", "not a JSON object"),
        (lambda text: "", "not readable JSON"),
    ],
)
def test_unreadable_plans_are_unknown_with_a_reason(tmp_path, mutate, reason):
    plan = tmp_path / "plan.json"
    plan.write_text(mutate((PLANS_DIR / "region_compliant" / "plan.json").read_text()))
    model = plan_model(str(plan))
    assert is_unknown(model) and reason in model.reason


def test_unreadable_plans_give_no_verdict_and_no_error_through_checkov(tmp_path):
    document = real_plan()
    document["errored"] = True
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document))
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    assert checkov_verdicts(scan_plan(plan)) == {}
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []


def test_a_50_mb_plan(tmp_path):
    """A plan with many resources: read once, judged, no error."""
    document = real_plan()
    topic = {
        "address": "aws_sns_topic.t",
        "mode": "managed",
        "type": "aws_sns_topic",
        "name": "t",
        "values": {"name": "t", "policy": "x" * 1000, "tags": {"Team": "sre"}},
    }
    filler = [dict(topic, address=f"aws_sns_topic.t{i}", name=f"t{i}") for i in range(47_000)]
    document["planned_values"]["root_module"]["resources"].extend(filler)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document))
    assert plan.stat().st_size > 50 * 1024 * 1024
    model = plan_model(str(plan))
    assert not is_unknown(model)
    assert len(model.topics) == 47_000
    assert model.replication_sets["aws_ssmincidents_replication_set.main"].entries


def test_truncated_plan_through_checkov_gives_no_verdict_and_no_error(tmp_path):
    plan = tmp_path / "plan.json"
    text = (PLANS_DIR / "region_compliant" / "plan.json").read_text()
    plan.write_text(text[: len(text) // 3])
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    assert checkov_verdicts(scan_plan(plan)) == {}
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []


def test_entries_are_joined_by_region_name_not_position():
    """Terraform sorts the Region set: in this plan us-west-2 comes first, unlike the configuration."""
    document = json.loads((PLANS_DIR / "ref_mixed_owned_keys" / "plan.json").read_text())
    planned = next(
        r
        for r in document["planned_values"]["root_module"]["resources"]
        if r["type"] == "aws_ssmincidents_replication_set"
    )
    configured = next(
        r
        for r in document["configuration"]["root_module"]["resources"]
        if r["type"] == "aws_ssmincidents_replication_set"
    )
    assert [e["name"] for e in planned["values"]["region"]] != [
        e["name"]["constant_value"] for e in configured["expressions"]["region"]
    ]
    model = plan_model(str(PLANS_DIR / "ref_mixed_owned_keys" / "plan.json"))
    entries = {e.name: e.key for e in model.replication_sets["aws_ssmincidents_replication_set.main"].entries}
    assert entries["us-west-2"] is None  # DefaultKey: the AWS owned key
    assert entries["us-east-1"].key.name == "aws_kms_key.east"  # from the configuration's reference


@pytest.mark.parametrize("seed", range(150))
def test_mangled_plans_never_raise(tmp_path, seed):
    import random

    from ckv_im import rules
    from ckv_im.plan_model import PlanModelBuilder

    source = "plan_delete_used_key" if seed % 2 else "im_sns_topics"
    rng = random.Random(seed)
    original = json.loads((PLANS_DIR / source / "plan.json").read_text())
    document = mangled(original, rng)
    document["format_version"] = "1.2"
    model = PlanModelBuilder(document).build()
    for key in model.keys.values():
        for rule in (
            rules.symmetric_encryption_key,
            rules.required_key_policy_statement,
            rules.no_wildcard_principal,
            rules.key_enabled_and_guarded,
            rules.no_personal_data_in_names,
        ):
            rule(key, model)
    for rset in model.replication_sets.values():
        for rule in (
            rules.key_region_matches_entry,
            rules.all_or_no_customer_managed_keys,
            rules.keys_named_by_arn,
            rules.plan_keeps_replication_set,
            rules.plan_keeps_used_keys,
        ):
            rule(rset, model)
    for resource in model.im_resources.values():
        rules.no_credentials_in_urls(resource, model)
    for topic in model.topics.values():
        rules.response_plan_topic_encrypted(topic, model)
