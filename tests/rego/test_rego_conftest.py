"""conftest on the policies, replayed on the embedded OPA (support/conftest_replay.py says how)."""

from __future__ import annotations

import json

import pytest

from ckv_im import opa
from support.conftest_replay import FAILURE, NAMESPACE, WARNING, conftest_check, namespace_rules
from support.manifest import FIXTURES_DIR
from support.rego_policies import POLICIES_DIR, deny

PLAN = FIXTURES_DIR / "terraform_plan" / "im_personal_data" / "plan.json"


def fresh_engine(*extra_modules: str, data=()):
    engine = opa.engine(POLICIES_DIR, data)
    for number, module in enumerate(extra_modules):
        engine.add_policy(f"user_{number}.rego", module)
    return engine


def test_the_namespace_defines_deny_and_warn_and_no_other_conftest_rule():
    rules = namespace_rules()
    assert sorted(name for name in rules if FAILURE.match(name) or WARNING.match(name)) == ["deny", "warn"]
    # conftest refuses `deny if` without `contains` (policy/engine.go, problematicIf)
    assert all(" contains " in head for name in ("deny", "warn") for head in rules[name])
    assert "exception" not in rules


@pytest.fixture(scope="module")
def engine():
    return fresh_engine()


def test_conftest_fails_with_the_same_findings_as_deny(engine):
    document = json.loads(PLAN.read_text(encoding="utf-8"))
    outcome = conftest_check(engine, document)
    assert sorted(outcome["failures"]) == sorted(finding["msg"] for finding in deny(document))
    assert len(outcome["failures"]) == 7 and outcome["warnings"] == [] and outcome["exceptions"] == []


def test_conftest_exception_rule_exempts_the_input():
    """conftest's own exceptions: a rule naming "" exempts the `deny` rule for the input it holds on."""
    module = f"""package {NAMESPACE}
import rego.v1

exception contains rules if {{
    input.configuration.root_module.resources[_].address == "aws_ssmcontacts_contact.duty_manager"
    rules := [""]
}}
"""
    document = json.loads(PLAN.read_text(encoding="utf-8"))
    outcome = conftest_check(fresh_engine(module), document)
    # "" names every rule without a suffix: `deny` and `warn` are both exempted, as conftest does
    assert outcome["failures"] == [] and len(outcome["exceptions"]) == 2
    other = json.loads((FIXTURES_DIR / "terraform_plan" / "im_clean_names" / "plan.json").read_text(encoding="utf-8"))
    assert conftest_check(fresh_engine(module), other)["failures"]  # the exception does not hold there


def test_exceptions_data_file_removes_one_finding_in_conftest_too():
    """`conftest test --data exceptions.yaml`: conftest loads the data document, deny leaves the finding out."""
    exceptions = {
        NAMESPACE: {
            "exceptions": [
                {
                    "id": "CKV_IM_13",
                    "resource": "aws_ssmincidents_replication_set.main",
                    "reason": "AWS owned keys on purpose",
                }
            ]
        }
    }
    document = json.loads(PLAN.read_text(encoding="utf-8"))
    outcome = conftest_check(fresh_engine(data=[exceptions]), document)
    assert len(outcome["failures"]) == 6
    assert not any(message.startswith("CKV_IM_13 ") for message in outcome["failures"])


def test_policies_parse_as_conftest_loads_them():
    """conftest loads every .rego file under --policy (tests too) with annotations processed, Rego v1."""
    engine = opa.engine(POLICIES_DIR, include_tests=True)
    assert engine.eval_query(f"x := count(data.{NAMESPACE}.deny)", input={}) == [{"x": 0}]
