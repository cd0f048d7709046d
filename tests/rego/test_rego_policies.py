"""The Rego policies (policies/) on the embedded OPA.

- every ``test_`` rule of every ``_test.rego`` file holds, as ``opa test`` runs them;
- ``data.incident_manager.deny`` on every plan fixture is exactly the manifest's FAILED
  plan verdicts (Checkov's, plus the differences recorded for ``rego_plan``);
- mangled plans never make evaluation fail;
- each rule's METADATA and its id / severity in code agree with the Python catalogue.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache

import pytest
import yaml

from ckv_im.catalogue import RULES, Engine, rules_for
from support.checkov_scan import checkov_verdicts, scan_plan
from support.mangled import mangled
from support.manifest import FIXTURES_DIR, REPO_ROOT, expected_verdicts
from support.rego_policies import (
    POLICIES_DIR,
    deny,
    engine,
    metadata_block,
    package_of,
    rego_test_results,
    rego_tests,
    rule_files,
)

PLANS_DIR = FIXTURES_DIR / "terraform_plan"
REGO_RULES = sorted(
    {rule.id for rule in [*rules_for(Engine.REGO_PLAN), *rules_for(Engine.REGO_CLOUDFORMATION)]},
    key=lambda rule_id: RULES[rule_id].number,
)
TEMPLATE_RULES = [rule.id for rule in rules_for(Engine.REGO_CLOUDFORMATION)]
PLANS = sorted(path.parent.name for path in PLANS_DIR.glob("*/plan.json"))
REGO_TESTS = rego_tests()
FINDING_KEYS = {"id", "severity", "resource", "msg"}


def load_plan(name: str) -> dict:
    return json.loads((PLANS_DIR / name / "plan.json").read_text(encoding="utf-8"))


# --- the _test.rego files --------------------------------------------------------------------------
@pytest.mark.parametrize("rego_test", REGO_TESTS, ids=str)
def test_rego_test_rule_holds(rego_test):
    assert rego_test_results()[rego_test.path] == [True]


def test_rego_test_names_are_unique_per_package():
    """Two `test_x` rules in one package would be one rule with two bodies: a failing body would hide."""
    seen = {}
    for rego_test in REGO_TESTS:
        assert rego_test.path not in seen, f"{rego_test} repeats {seen[rego_test.path]}"
        seen[rego_test.path] = rego_test
    assert len(REGO_TESTS) > 100


@pytest.mark.parametrize("rule_id", REGO_RULES)
def test_every_rule_has_tests_with_and_without_a_finding(rule_id):
    tests = [t.rule for t in REGO_TESTS if t.file == f"{rule_files()[rule_id].stem}_test.rego"]
    assert [t for t in tests if t.startswith("test_finding_")], f"{rule_id}: no test_finding_* rule"
    assert [t for t in tests if t.startswith("test_no_finding_")], f"{rule_id}: no test_no_finding_* rule"


@pytest.mark.parametrize("rule_id", TEMPLATE_RULES)
def test_every_template_rule_has_template_tests_with_and_without_a_finding(rule_id):
    tests = [t.rule for t in REGO_TESTS if t.file == f"{rule_files()[rule_id].stem}_test.rego"]
    assert [t for t in tests if t.startswith("test_finding_template_")], f"{rule_id}: no test_finding_template_* rule"
    assert [t for t in tests if t.startswith("test_no_finding_template_")], f"{rule_id}: no test_no_finding_template_*"


# --- parity with the manifest on every plan fixture ------------------------------------------------
@pytest.mark.parametrize("name", PLANS)
def test_deny_on_plan_fixture_is_the_manifest_failed_verdicts(name):
    findings = deny(load_plan(name), trim=False)  # the whole plan, as opa eval and conftest get it
    assert deny(load_plan(name)) == findings  # and trimmed to what the policies read, as python -m ckv_im.opa does
    for finding in findings:
        assert set(finding) == FINDING_KEYS and all(isinstance(value, str) for value in finding.values()), finding
        assert finding["severity"] == RULES[finding["id"]].severity
        assert finding["msg"].startswith(f"{finding['id']} {finding['resource']}: ")
    reported = sorted((finding["id"], finding["resource"]) for finding in findings)
    expected = sorted(
        key
        for key, verdict in expected_verdicts(f"terraform/{name}", engine="rego_plan").items()
        if verdict == "FAILED"
    )
    assert reported == expected


def test_deny_on_the_example_plan_is_what_checkov_fails():
    """scripts/example shows both engines on examples/terraform: the same findings."""
    plan = REPO_ROOT / "examples" / "terraform_plan" / "plan.json"
    checkov_failed = sorted(key for key, verdict in checkov_verdicts(scan_plan(plan)).items() if verdict == "FAILED")
    assert (
        sorted((f["id"], f["resource"]) for f in deny(json.loads(plan.read_text(encoding="utf-8")))) == checkov_failed
    )
    assert len(checkov_failed) == 6


# --- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(150))
def test_mangled_plans_never_fail_evaluation(seed):
    """The plan fuzz inputs of test_terraform_plan: evaluation gives findings, never an error."""
    source = "plan_delete_used_key" if seed % 2 else "im_sns_topics"
    rng = random.Random(seed)
    document = mangled(load_plan(source), rng)
    document["format_version"] = "1.2"
    for trim in (False, True):
        for finding in deny(document, trim):
            assert set(finding) == FINDING_KEYS


@pytest.mark.parametrize(
    "document",
    [
        None,
        0,
        "plan",
        [],
        {},
        {"format_version": 1},
        {"format_version": "0.1"},
        {"format_version": "1.2", "errored": True},
        {"format_version": "1.2", "planned_values": []},
        {"format_version": "1.2", "configuration": {"root_module": {"module_calls": 3}}},
    ],
)
def test_documents_that_are_no_readable_plan_give_no_finding(document):
    assert deny(document, trim=False) == [] and deny(document) == []


def test_a_plan_the_policies_cannot_read_shows_a_warning():
    document = load_plan("region_compliant")
    document["errored"] = True
    warnings = engine().eval_document("incident_manager.warn", input=document)
    assert deny(document) == [] and len(warnings) == 1 and "neither a Terraform plan" in warnings[0]["msg"]
    assert engine().eval_document("incident_manager.warn", input=load_plan("region_compliant")) == []


# --- METADATA, in-code id / severity, catalogue (one file per rule: tests/pack/test_registry.py) ---
@pytest.mark.parametrize("rule_id", REGO_RULES)
def test_rule_metadata_and_code_match_the_catalogue(rule_id):
    path = rule_files()[rule_id]
    info = RULES[rule_id]
    metadata = yaml.safe_load(metadata_block(path))
    assert metadata["title"] == info.title
    assert metadata["description"].strip()
    assert metadata["custom"] == {"id": rule_id, "severity": info.severity}
    pages = [resource["ref"] for resource in metadata["related_resources"]]
    assert pages == [f"docs/rules/{rule_id}.md"] and (POLICIES_DIR.parent / pages[0]).is_file()
    package = package_of(path)
    assert package == f"incident_manager.rules.{rule_id.lower()}"
    assert rules_in_code()[rule_id.lower()] == {"id": rule_id, "severity": info.severity}


@lru_cache(maxsize=1)
def rules_in_code() -> dict:
    """Each rule package's `rule` constant (its id and severity in code), in one query."""
    return engine().eval_query(
        "rules := {name: rule_package.rule | some name, rule_package in data.incident_manager.rules}"
    )[0]["rules"]


def test_policies_are_rego_v1():
    for path in sorted(POLICIES_DIR.rglob("*.rego")):
        text = path.read_text(encoding="utf-8")
        assert "import rego.v1" in text, f"{path.name}: missing import rego.v1"
