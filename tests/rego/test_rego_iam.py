"""The Rego key policy reading (policies/lib/iam.rego) fails what ckv_im.iam_policy fails.

The adversarial key policies of tests/hostile (support.hostile) go through the Python rule
functions of CKV_IM_7 and CKV_IM_8 and through the Rego library the two rules call: Rego
reports problems exactly where Python's verdict is FAILED, as many as Python's details lines.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from ckv_im.iam_policy import required_grants_result, wildcard_principal_result
from ckv_im.model import Status
from support.hostile import (
    GRANTS_NOTHING,
    NOT_PRINCIPAL,
    NOT_RESOURCE_DENY,
    UNBINDING_PIN_OPERATORS,
    grant_statement,
    key_policy,
    with_caller_pin,
)
from support.rego_policies import engine

REGION = "us-east-1"
_PINS = [*UNBINDING_PIN_OPERATORS, "StringEquals"]


def _cases() -> dict[str, tuple[dict, str]]:
    """Test id -> (key policy, key Region)."""
    cases = {}
    for name, overrides in GRANTS_NOTHING.items():
        cases[name] = (key_policy(grant_statement(**overrides)), REGION)
        cases[f"{name}, with the guide statement"] = (
            key_policy(grant_statement(**overrides), grant_statement()),
            REGION,
        )
    cases["NotResource deny"] = (key_policy(grant_statement(), NOT_RESOURCE_DENY), REGION)
    cases["NotPrincipal"] = (key_policy(grant_statement(**NOT_PRINCIPAL)), REGION)
    for operator in _PINS:
        pinned = with_caller_pin(operator)
        cases[f"NotPrincipal, {operator} pin"] = (
            key_policy(grant_statement(**NOT_PRINCIPAL, Condition=pinned)),
            REGION,
        )
        cases[f"principal *, {operator} pin"] = (key_policy(grant_statement(Principal="*", Condition=pinned)), REGION)
    kelvin = with_caller_pin("StringEquals", "\u212ams:CallerAccount")
    cases["principal *, Kelvin pin"] = (key_policy(grant_statement(Principal="*", Condition=kelvin)), REGION)
    # IAM folds names in ASCII only: a name that matches under a Unicode folding alone is undecided
    deny = {"Effect": "Deny", "Principal": "*", "Action": "kms:CreateGrant", "Resource": "*"}
    folded_denies = {
        "long s action": {**deny, "Action": "km\u017f:CreateGrant"},
        "Kelvin condition key": {**deny, "Condition": {"StringLike": {"\u212ams:ViaService": "ssm-incidents.*"}}},
        "Kelvin operator": {**deny, "Condition": {"StringLi\u212ae": {"kms:ViaService": "ssm-incidents.*"}}},
        "long s Effect": {**deny, "Effect": "Den\u017f"},
    }
    for name, statement in folded_denies.items():
        cases[f"Deny, {name}"] = (key_policy(grant_statement(), statement), REGION)
    for operator in ("StringLike", "StringEquals"):
        fake = "not a region"
        values = [f"ssm-incidents.{fake}.amazonaws.com", f"ssm-contacts.{fake}.amazonaws.com"]
        statement = grant_statement(Condition={operator: {"kms:ViaService": values}})
        cases[f"{operator} pinned to a key Region that is no Region name"] = (key_policy(statement), fake)
    return cases


CASES = _cases()


@lru_cache(maxsize=1)
def _rego_problems() -> dict[str, dict[str, list[str]]]:
    """Test id -> {"CKV_IM_7": problems, "CKV_IM_8": problems}, every case in one query."""
    query = (
        "results := {name: {"
        '"CKV_IM_7": data.incident_manager.lib.iam.required_grant_problems(case[0], case[1]), '
        '"CKV_IM_8": data.incident_manager.lib.iam.wildcard_principal_problems(case[0], case[1])'
        "} | some name, case in input}"
    )
    return engine().eval_query(query, input=CASES)[0]["results"]


_PYTHON_RULES = {"CKV_IM_7": required_grants_result, "CKV_IM_8": wildcard_principal_result}


@pytest.mark.parametrize("rule_id", _PYTHON_RULES)
@pytest.mark.parametrize("name", CASES)
def test_rego_fails_what_python_fails(name, rule_id):
    policy, region = CASES[name]
    python = _PYTHON_RULES[rule_id](policy, region)
    rego = _rego_problems()[name][rule_id]
    expected = list(python.details) if python.status is Status.FAILED else []
    assert len(rego) == len(expected), f"Python: {python.status.value} {expected}; Rego: {rego}"


def test_the_cases_cover_both_verdicts_of_both_rules():
    verdicts = {(rule_id, bool(problems)) for case in _rego_problems().values() for rule_id, problems in case.items()}
    assert verdicts == {("CKV_IM_7", True), ("CKV_IM_7", False), ("CKV_IM_8", True), ("CKV_IM_8", False)}
