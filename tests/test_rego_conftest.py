"""conftest reads the policies as conftest's own engine does (open-policy-agent/conftest, policy/engine.go).

No conftest binary can be installed here, so its check is replayed on the embedded OPA:
for the namespace, every rule named deny/violation[_x] or warn[_x] in a module of exactly
that package is queried as ``data.<namespace>.<rule>``, after the exception query
``data.<namespace>.exception[_][_] == "<rule name without its prefix>"``; an exception
that holds exempts the rule's results for the input, and every result object must carry
a string ``msg`` (its other keys become metadata).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ckv_im import opa
from manifest import FIXTURES_DIR
from rego_policies import POLICIES_DIR, deny, package_of

NAMESPACE = "incident_manager"
_FAILURE = re.compile(r"^(deny|violation)(_[a-zA-Z0-9]+)*$")
_WARNING = re.compile(r"^warn(_[a-zA-Z0-9]+)*$")
_RULE_HEAD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\b", re.M)
PLAN = FIXTURES_DIR / "terraform_plan" / "im_personal_data" / "plan.json"


def namespace_rules() -> dict[str, list[str]]:
    """Rule name -> the heads that define it, in the modules whose package is the namespace."""
    rules: dict[str, list[str]] = {}
    for path in sorted(POLICIES_DIR.rglob("*.rego")):
        if package_of(path) != NAMESPACE:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _RULE_HEAD.match(line)
            if match and match.group(1) not in ("package", "import"):
                rules.setdefault(match.group(1), []).append(line)
    return rules


def conftest_check(engine, document) -> dict[str, list]:
    """conftest test --namespace incident_manager: failures, warnings and exceptions for one input."""
    outcome = {"failures": [], "warnings": [], "exceptions": []}
    for rule in sorted(name for name in namespace_rules() if _FAILURE.match(name) or _WARNING.match(name)):
        short_name = re.sub(r"^(violation|deny|warn)_?", "", rule)
        exception_query = f'data.{NAMESPACE}.exception[_][_] == "{short_name}"'
        if engine.eval_query(exception_query, input=document):
            outcome["exceptions"].append(exception_query)
            continue
        results = engine.eval_query(f"results := data.{NAMESPACE}.{rule}", input=document)
        for result in results[0]["results"] if results else []:
            assert isinstance(result, dict) and isinstance(result.get("msg"), str), \
                f"conftest needs a string msg in every {rule} result: {result}"
            outcome["failures" if _FAILURE.match(rule) else "warnings"].append(result["msg"])
    return outcome


def fresh_engine(*extra_modules: str, data=()):
    engine = opa.engine(POLICIES_DIR, data)
    for number, module in enumerate(extra_modules):
        engine.add_policy(f"user_{number}.rego", module)
    return engine


def test_the_namespace_defines_deny_and_warn_and_no_other_conftest_rule():
    rules = namespace_rules()
    assert sorted(name for name in rules if _FAILURE.match(name) or _WARNING.match(name)) == ["deny", "warn"]
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
    exceptions = {NAMESPACE: {"exceptions": [{"id": "CKV_IM_13", "resource": "aws_ssmincidents_replication_set.main",
                                               "reason": "AWS owned keys on purpose"}]}}
    document = json.loads(PLAN.read_text(encoding="utf-8"))
    outcome = conftest_check(fresh_engine(data=[exceptions]), document)
    assert len(outcome["failures"]) == 6
    assert not any(message.startswith("CKV_IM_13 ") for message in outcome["failures"])


def test_policies_parse_as_conftest_loads_them():
    """conftest loads every .rego file under --policy (tests too) with annotations processed, Rego v1."""
    engine = opa.engine(POLICIES_DIR, include_tests=True)
    assert engine.eval_query(f"x := count(data.{NAMESPACE}.deny)", input={}) == [{"x": 0}]
