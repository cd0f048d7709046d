"""Hostile input to the IAM matchers (ckv_im.iam_policy): linear time on adversarial globs, and the
policy shapes that once gave a wrong PASSED (docs/semantics.md#matching-iam-policy-elements)."""

from __future__ import annotations

import pytest

from ckv_im.iam_policy import action_pattern_matches, required_grants_result, wildcard_principal_result
from ckv_im.model import Status
from support.hostile import (
    GRANTS_NOTHING,
    MEGABYTE,
    NOT_PRINCIPAL,
    NOT_RESOURCE_DENY,
    UNBINDING_PIN_OPERATORS,
    grant_statement,
    key_policy,
    with_caller_pin,
    within_cpu_bound,
)

REGION = "us-east-1"
# A glob that a translation to a backtracking regular expression needs minutes for.
BACKTRACKING_GLOB = "*s" * 12 + "*q"


def via_service(*values: str) -> dict:
    return {"StringLike": {"kms:ViaService": list(values)}}


@pytest.mark.parametrize(
    "key_region",
    [REGION, "s" * 30, "s" * MEGABYTE, "us-east-" + "1" * MEGABYTE],
    ids=["region", "30 s", "1 MB of s", "1 MB Region-like"],
)
def test_a_backtracking_via_service_glob_is_judged_quickly_and_never_passes(key_region):
    doc = key_policy(grant_statement(Condition=via_service(BACKTRACKING_GLOB, BACKTRACKING_GLOB.replace("q", "m"))))
    im7 = within_cpu_bound(lambda: required_grants_result(doc, key_region))
    assert im7.status is not Status.PASSED


def test_text_that_is_no_region_name_is_no_evidence_of_the_key_region():
    # Pinned to a "Region" that is the text itself: with a real Region name this passes.
    fake = "not a region"
    pinned = via_service(f"ssm-incidents.{fake}.amazonaws.com", f"ssm-contacts.{fake}.amazonaws.com")
    assert required_grants_result(key_policy(grant_statement(Condition=pinned)), fake).status is Status.UNKNOWN
    real = via_service(f"ssm-incidents.{REGION}.amazonaws.com", f"ssm-contacts.{REGION}.amazonaws.com")
    assert required_grants_result(key_policy(grant_statement(Condition=real)), REGION).status is Status.PASSED


@pytest.mark.parametrize(
    "pattern, expected",
    [
        ("*?" * (MEGABYTE // 2) + "x", False),
        ("*" * MEGABYTE + "Grant", True),
        ("kms:" + "*a" * (MEGABYTE // 2), False),
        ("k?s:*C*r*e*a*t*e*G*r*a*n*t", True),
        ("k?s:*" + "?" * 11, True),
        ("k?s:*" + "?" * 12, False),
    ],
)
def test_action_globs_run_in_linear_time(pattern, expected):
    assert within_cpu_bound(lambda: action_pattern_matches(pattern, "kms:CreateGrant")) is expected


def test_a_long_action_is_matched_in_linear_time():
    from ckv_im.iam_policy import _glob_matches  # the matcher itself, on a long text

    text = "s" * MEGABYTE
    assert within_cpu_bound(lambda: _glob_matches(BACKTRACKING_GLOB, text, ignore_case=False)) is False
    assert within_cpu_bound(lambda: _glob_matches("*s?s*" + "s?" * 50 + "*s", text, ignore_case=False)) is True


# -- wrong PASSED ----------------------------------------------------------------------------------
def test_not_principal_allow_is_a_wildcard_grant_for_ckv_im_8():
    statement = grant_statement(**NOT_PRINCIPAL)
    assert wildcard_principal_result(key_policy(statement), REGION).status is Status.FAILED


@pytest.mark.parametrize("operator", UNBINDING_PIN_OPERATORS)
def test_a_caller_pin_that_holds_when_the_key_is_absent_pins_nothing(operator):
    statement = grant_statement(Principal="*", Condition=with_caller_pin(operator))
    assert wildcard_principal_result(key_policy(statement), REGION).status is Status.FAILED


def test_a_binding_caller_pin_still_passes():
    statement = grant_statement(Principal="*", Condition=with_caller_pin("StringEquals"))
    assert wildcard_principal_result(key_policy(statement), REGION).status is Status.PASSED


@pytest.mark.parametrize("overrides", GRANTS_NOTHING.values(), ids=GRANTS_NOTHING.keys())
def test_ckv_im_7_is_never_passed_by_a_statement_that_grants_nothing(overrides):
    doc = key_policy(grant_statement(**overrides))
    assert required_grants_result(doc, REGION).status is not Status.PASSED


def test_a_kelvin_sign_caller_pin_is_no_pin():
    statement = grant_statement(Principal="*", Condition=with_caller_pin("StringEquals", "\u212ams:CallerAccount"))
    assert wildcard_principal_result(key_policy(statement), REGION).status is not Status.PASSED


def test_a_not_resource_deny_denies_nothing():
    doc = key_policy(grant_statement(), NOT_RESOURCE_DENY)
    assert required_grants_result(doc, REGION).status is Status.PASSED
