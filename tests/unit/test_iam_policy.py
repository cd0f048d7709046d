"""Unit tests for ckv_im.iam_policy: CKV_IM_7, CKV_IM_8 and the Incident Manager key test (b).

Semantics: docs/semantics.md#matching-iam-policy-elements.
"""

from __future__ import annotations

import copy
import random
import time

import pytest

from ckv_im.iam_policy import (
    INCIDENT_MANAGER_SERVICES,
    REQUIRED_ACTIONS,
    action_pattern_matches,
    names_incident_manager,
    required_grants_result,
    wildcard_principal_result,
)
from ckv_im.model import STACK_REGION, STACK_REGION_TEXT, Result, Status, Unknown, UnknownTemplate

REGION = "us-east-1"
ACCOUNT_ROOT = {"AWS": "arn:aws:iam::111122223333:root"}
BOTH_ACTIONS = ["kms:CreateGrant", "kms:DescribeKey"]
SEED_VALUES = ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]
PINNED_VALUES = [f"ssm-incidents.{REGION}.amazonaws.com", f"ssm-contacts.{REGION}.amazonaws.com"]

_ABSENT = object()


def allow(
    action=_ABSENT, values=_ABSENT, op="StringLike", principal=_ABSENT, sid=None, condition=_ABSENT, not_action=None
):
    """An Allow statement in the seed's shape, with any element replaceable."""
    statement = {"Effect": "Allow", "Principal": ACCOUNT_ROOT if principal is _ABSENT else principal, "Resource": "*"}
    if principal is None:
        del statement["Principal"]
    if not_action is not None:
        statement["NotAction"] = not_action
    else:
        statement["Action"] = BOTH_ACTIONS if action is _ABSENT else action
    if condition is _ABSENT:
        condition = {op: {"kms:ViaService": SEED_VALUES if values is _ABSENT else values}}
    if condition is not None:
        statement["Condition"] = condition
    if sid is not None:
        statement["Sid"] = sid
    return statement


def deny(action="kms:*", condition=None, sid=None, not_action=None):
    statement = {"Effect": "Deny", "Principal": "*", "Resource": "*"}
    if not_action is not None:
        statement["NotAction"] = not_action
    else:
        statement["Action"] = action
    if condition is not None:
        statement["Condition"] = condition
    if sid is not None:
        statement["Sid"] = sid
    return statement


def policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def im7(doc, region=REGION) -> Result:
    return required_grants_result(doc, region)


def im8(doc, region=REGION) -> Result:
    return wildcard_principal_result(doc, region)


def missing_line(service, action):
    return f"{service} cannot call {action}: no Allow statement grants it via kms:ViaService"


def near_miss_line(service, action, label, reason):
    return f"{missing_line(service, action)}. {label} names {service} in kms:ViaService, but {reason}"


GOOD = policy(allow(sid="IncidentManager"))


# Action matching ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "pattern, expected",
    [
        ("kms:*", True),
        ("*", True),
        ("kms:Create*", True),
        ("kms:?reateGrant", True),
        ("KMS:CREATEGRANT", True),
        ("kms:creategrant", True),
        ("kms:*Grant", True),
        ("k*s:C*t", True),
        ("**", True),
        ("kms:CreateGrant", True),
        ("kms:Describe*", False),
        ("kms:CreateGrant?", False),
        ("kms:?CreateGrant", False),
        ("kms.CreateGrant", False),  # "." is a literal, not "any character"
        ("kms:Create.rant", False),
        ("kms:CreateGran.", False),
        ("kms*CreateGrant", True),  # ":" is an ordinary character a "*" can cover
        ("[k]ms:CreateGrant", False),  # no glob character classes
        ("kms:Create+Grant", False),
        ("kms", False),
        ("", False),
        ("s3:*", False),
    ],
)
def test_action_pattern_matches(pattern, expected):
    assert action_pattern_matches(pattern, "kms:CreateGrant") is expected


@pytest.mark.parametrize(
    "pattern, action",
    [(None, "kms:CreateGrant"), (42, "kms:CreateGrant"), (["kms:*"], "kms:CreateGrant"), ("kms:*", None)],
)
def test_action_pattern_matches_wrong_types_do_not_match(pattern, action):
    assert action_pattern_matches(pattern, action) is False


def test_action_pattern_many_wildcards_is_fast_and_correct():
    started = time.monotonic()
    assert action_pattern_matches("*?" * 5000 + "x", "kms:CreateGrant") is False
    assert action_pattern_matches("*" * 100_000 + "Grant", "kms:CreateGrant") is True
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("action", ["kms:*", "*", "kms:Create*", "kms:?reateGrant", "KMS:CREATEGRANT"])
def test_wildcard_actions_grant_create_grant(action):
    doc = policy(allow(action=action), allow(action="kms:DescribeKey"))
    assert im7(doc).status is Status.PASSED


def test_action_pattern_with_dot_does_not_grant():
    doc = policy(allow(action=["kms.CreateGrant", "kms:DescribeKey"]))
    result = im7(doc)
    assert result.status is Status.FAILED
    assert missing_line("ssm-incidents", "kms:CreateGrant") in result.details
    assert missing_line("ssm-incidents", "kms:DescribeKey") not in result.details


# NotAction ----------------------------------------------------------------------------------------
def test_allow_with_not_action_grants_everything_else():
    assert im7(policy(allow(not_action=["kms:Decrypt", "kms:ScheduleKeyDeletion"]))).status is Status.PASSED


def test_allow_with_not_action_excluding_create_grant():
    result = im7(policy(allow(not_action="kms:Create*")))
    assert result.status is Status.FAILED
    assert missing_line("ssm-contacts", "kms:CreateGrant") in result.details
    assert all("DescribeKey" not in line for line in result.details)


def test_deny_with_not_action_denies_what_it_does_not_list():
    result = im7(policy(allow(), deny(not_action=["kms:DescribeKey"], sid="OnlyDescribe")))
    assert result.status is Status.FAILED
    assert 'statement "OnlyDescribe" denies kms:CreateGrant via ssm-incidents' in result.details
    assert all("kms:DescribeKey via" not in line for line in result.details)


# kms:ViaService operators in Allow statements -----------------------------------------------------
@pytest.mark.parametrize(
    "op, values, expected",
    [
        ("StringEquals", PINNED_VALUES, Status.PASSED),
        ("StringEquals", SEED_VALUES, Status.FAILED),  # StringEquals does not glob
        ("StringEqualsIgnoreCase", [v.upper() for v in PINNED_VALUES], Status.PASSED),
        ("StringLike", SEED_VALUES, Status.PASSED),
        ("StringLike", ["ssm-*"], Status.PASSED),
        ("StringLike", ["ssm-?ncidents.*.amazonaws.com", "ssm-contacts.us-east-?.amazonaws.com"], Status.PASSED),
        ("StringLike", ["ssm-incidents.*.amazonaws.com"], Status.FAILED),  # ssm-contacts missing
        ("StringNotEquals", ["ssm.us-east-1.amazonaws.com"], Status.FAILED),
        ("StringNotLike", ["ec2.*.amazonaws.com"], Status.FAILED),
        ("StringNotEqualsIgnoreCase", ["ec2.us-east-1.amazonaws.com"], Status.FAILED),
    ],
)
def test_allow_operator_rows(op, values, expected):
    assert im7(policy(allow(op=op, values=values))).status is expected


def test_allow_without_via_service_condition_does_not_count():
    result = im7(policy(allow(condition=None)))
    assert result.status is Status.FAILED
    assert len(result.details) == 4
    assert missing_line("ssm-incidents", "kms:CreateGrant") in result.details


def test_allow_with_only_other_condition_keys_does_not_count():
    doc = policy(allow(condition={"StringEquals": {"kms:CallerAccount": "111122223333"}}))
    assert im7(doc).status is Status.FAILED


def test_allow_string_not_equals_next_to_string_like_excludes_a_service():
    condition = {
        "StringLike": {"kms:ViaService": "ssm-*"},
        "StringNotEquals": {"kms:ViaService": "ssm-contacts.us-east-1.amazonaws.com"},
    }
    result = im7(policy(allow(condition=condition)))
    assert result.status is Status.FAILED
    excluded = 'its StringNotEquals value "ssm-contacts.us-east-1.amazonaws.com" excludes it'
    assert near_miss_line("ssm-contacts", "kms:CreateGrant", "Statement 0", excluded) in result.details
    assert all(not line.startswith("ssm-incidents") for line in result.details)


def test_allow_without_principal_does_not_count():
    assert im7(policy(allow(principal=None))).status is Status.FAILED


def test_allow_with_other_condition_keys_still_grants():
    condition = {"StringLike": {"kms:ViaService": SEED_VALUES}, "StringEquals": {"kms:CallerAccount": "111122223333"}}
    assert im7(policy(allow(condition=condition))).status is Status.PASSED


@pytest.mark.parametrize(
    "op, key",
    [
        ("stringlike", "kms:ViaService"),
        ("STRINGLIKE", "KMS:VIASERVICE"),
        ("StringLike", "Kms:viaService"),
        ("ForAnyValue:StringLike", "kms:ViaService"),
        ("ForAllValues:StringLike", "kms:ViaService"),
        ("StringLikeIfExists", "kms:ViaService"),
        ("foranyvalue:stringlikeifexists", "kms:viaservice"),
    ],
)
def test_operator_and_key_are_case_insensitive_and_prefixes_are_stripped(op, key):
    doc = policy(allow(condition={op: {key: SEED_VALUES}}))
    assert im7(doc).status is Status.PASSED
    assert names_incident_manager(doc) is True


def test_unrecognised_operator_on_via_service_in_allow_is_unknown():
    condition = {"StringLike": {"kms:ViaService": SEED_VALUES}, "Null": {"kms:ViaService": "false"}}
    assert im7(policy(allow(condition=condition))).status is Status.UNKNOWN


# kms:ViaService operators in Deny statements ------------------------------------------------------
@pytest.mark.parametrize(
    "op, values, denied",
    [
        ("StringEquals", "ssm-incidents.us-east-1.amazonaws.com", {"ssm-incidents"}),
        ("StringEqualsIgnoreCase", "SSM-Incidents.US-EAST-1.amazonaws.com", {"ssm-incidents"}),
        ("StringEquals", "ssm-incidents.*.amazonaws.com", set()),
        ("StringLike", "ssm-*", {"ssm-incidents", "ssm-contacts"}),
        ("StringLike", "ssm-contacts.*.amazonaws.com", {"ssm-contacts"}),
        ("StringLike", "ec2.*.amazonaws.com", set()),
        # "deny unless via ssm-incidents" denies ssm-contacts
        ("StringNotEquals", "ssm-incidents.us-east-1.amazonaws.com", {"ssm-contacts"}),
        ("StringNotEquals", PINNED_VALUES, set()),
        ("StringNotLike", "ssm-*", set()),
        ("StringNotLike", "ssm-incidents.*", {"ssm-contacts"}),
        ("StringNotEqualsIfExists", "ssm-incidents.us-east-1.amazonaws.com", {"ssm-contacts"}),
        ("ForAnyValue:StringEquals", "ssm-contacts.us-east-1.amazonaws.com", {"ssm-contacts"}),
    ],
)
def test_deny_operator_rows(op, values, denied):
    doc = policy(allow(), deny(condition={op: {"kms:ViaService": values}}, sid="DenyOthers"))
    result = im7(doc)
    assert result.status is (Status.FAILED if denied else Status.PASSED)
    for service in INCIDENT_MANAGER_SERVICES:
        for action in REQUIRED_ACTIONS:
            line = f'statement "DenyOthers" denies {action} via {service}'
            assert (line in result.details) is (service in denied)


def test_deny_of_one_pair_names_only_that_pair():
    doc = policy(
        allow(), deny(action="kms:CreateGrant", condition={"StringEquals": {"kms:ViaService": PINNED_VALUES[0]}})
    )
    result = im7(doc)
    assert result.status is Status.FAILED
    assert result.details == ("statement 1 denies kms:CreateGrant via ssm-incidents",)


def test_unconditional_deny_denies_every_service():
    result = im7(policy(allow(), deny(action="kms:DescribeKey", sid="NoDescribe")))
    assert result.status is Status.FAILED
    assert set(result.details) == {
        'statement "NoDescribe" denies kms:DescribeKey via ssm-incidents',
        'statement "NoDescribe" denies kms:DescribeKey via ssm-contacts',
    }


def test_deny_with_empty_condition_is_unconditional():
    assert im7(policy(allow(), deny(condition={}))).status is Status.FAILED


def test_deny_of_other_actions_does_not_matter():
    assert im7(policy(allow(), deny(action=["kms:ScheduleKeyDeletion", "kms:Disable*"]))).status is Status.PASSED


@pytest.mark.parametrize(
    "condition",
    [
        {"StringNotEquals": {"kms:ViaService": "ec2.us-east-1.amazonaws.com", "aws:PrincipalOrgID": "o-123"}},
        {"StringLike": {"kms:ViaService": "ssm-*"}, "Bool": {"aws:SecureTransport": False}},
        {"StringEquals": {"kms:CallerAccount": "444455556666"}},
    ],
)
def test_deny_with_other_condition_keys_is_ignored(condition):
    assert im7(policy(allow(), deny(condition=condition))).status is Status.PASSED


def test_unrecognised_operator_on_via_service_in_deny_is_unknown():
    doc = policy(allow(), deny(condition={"ArnLike": {"kms:ViaService": "ssm-*"}}))
    result = im7(doc)
    assert result.status is Status.UNKNOWN
    assert any("statement 1" in line for line in result.details)


def test_deny_with_lower_case_effect_still_counts():
    statement = deny(action="kms:CreateGrant")
    statement["Effect"] = "deny"
    assert im7(policy(allow(), statement)).status is Status.FAILED


# Split statements ---------------------------------------------------------------------------------
def test_statements_split_per_action():
    doc = policy(allow(action="kms:CreateGrant", sid="Grant"), allow(action=["kms:DescribeKey"], sid="Describe"))
    assert im7(doc).status is Status.PASSED


def test_statements_split_per_service():
    doc = policy(allow(values="ssm-incidents.*.amazonaws.com"), allow(values=["ssm-contacts.*.amazonaws.com"]))
    assert im7(doc).status is Status.PASSED


def test_split_statements_missing_one_pair():
    doc = policy(
        allow(action="kms:CreateGrant"), allow(action="kms:DescribeKey", values="ssm-incidents.*.amazonaws.com")
    )
    result = im7(doc)
    assert result.status is Status.FAILED
    assert result.details == (missing_line("ssm-contacts", "kms:DescribeKey"),)


def test_single_statement_object_instead_of_list():
    assert im7({"Version": "2012-10-17", "Statement": allow()}).status is Status.PASSED


# The seed's example -------------------------------------------------------------------------------
SEED_COPY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Allow CreateGrant through AWS Systems Manager Incident Manager",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:user/ssm-lead"},
            "Action": ["kms:CreateGrant", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"StringLike": {"kms:ViaService": ["", ""]}},
        }
    ],
}


def test_seed_copy_with_empty_values_fails_and_is_an_incident_manager_key():
    result = im7(SEED_COPY)
    assert result.status is Status.FAILED
    assert {missing_line(s, a) for s in INCIDENT_MANAGER_SERVICES for a in REQUIRED_ACTIONS} == set(result.details)
    assert names_incident_manager(SEED_COPY) is True
    assert im8(SEED_COPY).status is Status.PASSED


def test_seed_with_values_filled_in_passes_both_rules():
    doc = copy.deepcopy(SEED_COPY)
    doc["Statement"][0]["Condition"]["StringLike"]["kms:ViaService"] = SEED_VALUES
    assert im7(doc).status is Status.PASSED
    assert im8(doc).status is Status.PASSED


# Key Region ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("op", ["StringEquals", "StringLike"])
@pytest.mark.parametrize(
    "region, expected",
    [
        ("us-east-1", Status.PASSED),
        ("US-EAST-1", Status.PASSED),
        ("eu-west-1", Status.FAILED),
        (Unknown("var.region"), Status.UNKNOWN),
        (STACK_REGION, Status.UNKNOWN),
        (None, Status.UNKNOWN),
        ("", Status.UNKNOWN),
    ],
)
def test_region_pinned_values(op, region, expected):
    assert im7(policy(allow(op=op, values=PINNED_VALUES)), region).status is expected


def test_region_pinned_value_with_unknown_region_says_why():
    result = im7(policy(allow(values=PINNED_VALUES, sid="Pinned")), Unknown("var.region"))
    assert result.status is Status.UNKNOWN
    assert any('statement "Pinned"' in line and "var.region" in line for line in result.details)


@pytest.mark.parametrize("values", [SEED_VALUES, ["ssm-*"], ["*"], ["ssm-incidents.?*.amazonaws.com", "ssm-contacts*"]])
@pytest.mark.parametrize("region", [Unknown("var.region"), STACK_REGION, None])
def test_values_matching_every_region_pass_with_unknown_region(values, region):
    assert im7(policy(allow(values=values)), region).status is Status.PASSED


@pytest.mark.parametrize("region", ["us-east-1", Unknown("var.region")])
@pytest.mark.parametrize("op", ["StringEquals", "StringLike"])
def test_value_without_region_never_matches(op, region):
    doc = policy(allow(op=op, values=["ssm-incidents.amazonaws.com", "ssm-contacts.amazonaws.com"]))
    assert im7(doc, region).status is Status.FAILED


def test_value_for_a_single_character_region_only_is_unknown_with_unknown_region():
    doc = policy(allow(values=["ssm-incidents.?.amazonaws.com", "ssm-contacts.*.amazonaws.com"]))
    assert im7(doc, Unknown("var.region")).status is Status.UNKNOWN
    assert im7(doc, "us-east-1").status is Status.FAILED


def test_string_equals_with_star_never_matches_with_unknown_region():
    doc = policy(allow(op="StringEquals", values=SEED_VALUES))
    assert im7(doc, Unknown("var.region")).status is Status.FAILED


@pytest.mark.parametrize(
    "op, values, expected",
    [
        ("StringEquals", "ssm-incidents.us-east-1.amazonaws.com", Status.UNKNOWN),  # denied only in us-east-1
        ("StringLike", "ssm-incidents.*.amazonaws.com", Status.FAILED),  # denied everywhere
        ("StringLike", "*.us-east-1.amazonaws.com", Status.UNKNOWN),
        ("StringLike", "ssm-incidents.amazonaws.com", Status.PASSED),  # matches no Region
        # ssm-incidents is denied outside us-east-1; ssm-contacts in every Region
        ("StringNotEquals", "ssm-incidents.us-east-1.amazonaws.com", Status.FAILED),
        ("StringNotEquals", PINNED_VALUES, Status.UNKNOWN),
        ("StringNotLike", "ssm-*", Status.PASSED),
    ],
)
def test_deny_with_unknown_region(op, values, expected):
    doc = policy(allow(), deny(condition={op: {"kms:ViaService": values}}))
    assert im7(doc, Unknown("var.region")).status is expected


# Condition values are case-sensitive (except ...IgnoreCase); operators, keys and actions are not ---
SHOUTED_INCIDENTS = "SSM-INCIDENTS.us-east-1.amazonaws.com"  # docs/semantics.md's example
CONTACTS_PINNED = PINNED_VALUES[1]
STACK_PINNED = [f"ssm-incidents.{STACK_REGION_TEXT}.amazonaws.com", f"ssm-contacts.{STACK_REGION_TEXT}.amazonaws.com"]


@pytest.mark.parametrize(
    "op, values, region, expected",
    [
        # docs/semantics.md: a value SSM-INCIDENTS.us-east-1.amazonaws.com under StringEquals admits nothing ...
        ("StringEquals", [SHOUTED_INCIDENTS, CONTACTS_PINNED], REGION, Status.FAILED),
        ("StringEquals", [SHOUTED_INCIDENTS, CONTACTS_PINNED], Unknown("var.region"), Status.FAILED),
        ("StringEquals", [SHOUTED_INCIDENTS, CONTACTS_PINNED], STACK_REGION, Status.FAILED),
        # ... and under StringEqualsIgnoreCase it admits ssm-incidents in us-east-1, in no other Region
        ("StringEqualsIgnoreCase", [SHOUTED_INCIDENTS, CONTACTS_PINNED], REGION, Status.PASSED),
        ("StringEqualsIgnoreCase", [SHOUTED_INCIDENTS, CONTACTS_PINNED], "eu-west-1", Status.FAILED),
        ("StringEqualsIgnoreCase", [SHOUTED_INCIDENTS, CONTACTS_PINNED], Unknown("var.region"), Status.UNKNOWN),
        ("StringEqualsIgnoreCase", [SHOUTED_INCIDENTS, CONTACTS_PINNED], STACK_REGION, Status.UNKNOWN),
        # StringLike has no IgnoreCase twin: a glob with a capital letter matches no service name
        ("StringLike", ["SSM-Incidents.*.amazonaws.com", SEED_VALUES[1]], REGION, Status.FAILED),
        ("StringLike", ["SSM-Incidents.*.amazonaws.com", SEED_VALUES[1]], Unknown("var.region"), Status.FAILED),
        ("StringLike", ["SSM-Incidents.*.amazonaws.com", SEED_VALUES[1]], STACK_REGION, Status.FAILED),
        ("StringLike", ["Ssm-*"], REGION, Status.FAILED),
        ("StringLike", ["ssm-incidents.US-EAST-1.amazonaws.com", SEED_VALUES[1]], REGION, Status.FAILED),
        # pinned to a Region that cannot exist: no Region name holds a capital letter
        ("StringLike", ["ssm-incidents.US-EAST-1.amazonaws.com", SEED_VALUES[1]], Unknown("var.region"), Status.FAILED),
        (
            "StringLike",
            ["ssm-incidents.us-east-1.amazonaws.com", SEED_VALUES[1]],
            Unknown("var.region"),
            Status.UNKNOWN,
        ),
        # the stack Region written with !Sub: the marker is compared as the Region it stands for
        ("StringEquals", STACK_PINNED, STACK_REGION, Status.PASSED),
        (
            "StringEquals",
            [f"SSM-Incidents.{STACK_REGION_TEXT}.amazonaws.com", STACK_PINNED[1]],
            STACK_REGION,
            Status.FAILED,
        ),
        (
            "StringEqualsIgnoreCase",
            [f"SSM-Incidents.{STACK_REGION_TEXT}.amazonaws.com", STACK_PINNED[1]],
            STACK_REGION,
            Status.PASSED,
        ),
        (
            "StringLike",
            [f"SSM-Incidents.{STACK_REGION_TEXT}.amazonaws.com", STACK_PINNED[1]],
            STACK_REGION,
            Status.FAILED,
        ),
        ("StringLike", [f"ssm-incidents.{STACK_REGION_TEXT}.amazon*", STACK_PINNED[1]], STACK_REGION, Status.PASSED),
    ],
)
def test_allow_compares_via_service_values_case_sensitively(op, values, region, expected):
    result = im7(policy(allow(op=op, values=values)), region)
    assert result.status is expected
    if expected is Status.FAILED:
        assert any(line.startswith("ssm-incidents cannot call kms:CreateGrant") for line in result.details)


@pytest.mark.parametrize("op, key", [("stringequals", "KMS:VIASERVICE"), ("STRINGEQUALS", "kms:viaservice")])
def test_only_values_are_case_sensitive(op, key):
    lower = policy(allow(condition={op: {key: PINNED_VALUES}}, action=["KMS:CREATEGRANT", "kms:describekey"]))
    assert im7(lower).status is Status.PASSED
    mixed = policy(allow(condition={op: {key: [v.replace("ssm-", "SSM-") for v in PINNED_VALUES]}}))
    assert im7(mixed).status is Status.FAILED


@pytest.mark.parametrize(
    "op, values, region, denied",
    [
        ("StringEquals", SHOUTED_INCIDENTS, REGION, set()),
        ("StringEqualsIgnoreCase", SHOUTED_INCIDENTS, REGION, {"ssm-incidents"}),
        ("StringLike", "SSM-*", REGION, set()),
        ("StringLike", "SSM-*", Unknown("var.region"), set()),
        # "deny unless via these": a mixed-case value matches no call, so the call via ssm-incidents is denied
        ("StringNotEquals", [SHOUTED_INCIDENTS, CONTACTS_PINNED], REGION, {"ssm-incidents"}),
        ("StringNotEquals", [SHOUTED_INCIDENTS, CONTACTS_PINNED], Unknown("var.region"), {"ssm-incidents"}),
        ("StringNotEqualsIgnoreCase", [SHOUTED_INCIDENTS, CONTACTS_PINNED], REGION, set()),
        ("StringNotLike", ["SSM-*"], REGION, {"ssm-incidents", "ssm-contacts"}),
        ("StringNotLike", ["ssm-incidents.*", "SSM-CONTACTS.*"], REGION, {"ssm-contacts"}),
    ],
)
def test_deny_compares_via_service_values_case_sensitively(op, values, region, denied):
    result = im7(policy(allow(), deny(condition={op: {"kms:ViaService": values}}, sid="DenyOthers")), region)
    assert result.status is (Status.FAILED if denied else Status.PASSED)
    for service in INCIDENT_MANAGER_SERVICES:
        for action in REQUIRED_ACTIONS:
            line = f'statement "DenyOthers" denies {action} via {service}'
            assert (line in result.details) is (service in denied)


def test_mixed_case_value_still_makes_an_incident_manager_key_that_fails():
    """The "Incident Manager key" test (docs/semantics.md#terms, its second case) stays case-insensitive,
    so the key is judged."""
    doc = policy(allow(op="StringEquals", values=[SHOUTED_INCIDENTS, "Ssm-Contacts.us-east-1.amazonaws.com"]))
    assert names_incident_manager(doc) is True
    result = im7(doc)
    assert result.status is Status.FAILED
    assert len(result.details) == 4


# Details lines: the statement that names a service but does not admit it --------------------------
AWS_GUIDE_SID = "Allow CreateGrant through AWS Systems Manager Incident Manager"
AWS_GUIDE_VALUES = ["ssm-incidents.amazonaws.com", "ssm-contacts.amazonaws.com"]  # the guide's, without a Region


@pytest.mark.parametrize("region", [REGION, Unknown("var.region"), STACK_REGION])
def test_aws_guide_statement_is_named_and_its_values_lack_the_region(region):
    result = im7(policy(allow(sid=AWS_GUIDE_SID, values=AWS_GUIDE_VALUES)), region)
    assert result.status is Status.FAILED
    assert set(result.details) == {
        near_miss_line(
            service,
            action,
            f'Statement "{AWS_GUIDE_SID}"',
            f'its value "{service}.amazonaws.com" lacks the Region ({service}.<region>.amazonaws.com)',
        )
        for service in INCIDENT_MANAGER_SERVICES
        for action in REQUIRED_ACTIONS
    }


def test_statement_without_sid_is_named_by_its_index():
    result = im7(policy(allow(action="kms:*", condition=None), allow(values=AWS_GUIDE_VALUES)))
    assert (
        near_miss_line(
            "ssm-contacts",
            "kms:DescribeKey",
            "Statement 1",
            'its value "ssm-contacts.amazonaws.com" lacks the Region (ssm-contacts.<region>.amazonaws.com)',
        )
        in result.details
    )


@pytest.mark.parametrize(
    "op, value, region, reason",
    [
        (
            "StringEquals",
            "ssm-incidents.us-east-1.amazonaws.com",
            "eu-west-1",
            'its value "ssm-incidents.us-east-1.amazonaws.com" names Region us-east-1, but the key is in eu-west-1',
        ),
        (
            "StringLike",
            "ssm-incidents.us-east-?.amazonaws.com",
            "eu-west-1",
            'its value "ssm-incidents.us-east-?.amazonaws.com" does not match ssm-incidents.eu-west-1.amazonaws.com',
        ),
        (
            "StringEquals",
            SHOUTED_INCIDENTS,
            REGION,
            f'its value "{SHOUTED_INCIDENTS}" differs in case from ssm-incidents.us-east-1.amazonaws.com '
            "(StringEquals compares values case-sensitively, StringEqualsIgnoreCase does not)",
        ),
        (
            "StringLike",
            "SSM-Incidents.*.amazonaws.com",
            Unknown("var.region"),
            'its value "SSM-Incidents.*.amazonaws.com" differs in case from ssm-incidents.<region>.amazonaws.com '
            "(StringLike compares values case-sensitively)",
        ),
        (
            "StringEquals",
            f"SSM-Incidents.{STACK_REGION_TEXT}.amazonaws.com",
            STACK_REGION,
            'its value "SSM-Incidents.${AWS::Region}.amazonaws.com" differs in case from '
            "ssm-incidents.${AWS::Region}.amazonaws.com "
            "(StringEquals compares values case-sensitively, StringEqualsIgnoreCase does not)",
        ),
        (
            "StringEquals",
            "ssm-incidents.*.amazonaws.com",
            REGION,
            'its StringEquals value "ssm-incidents.*.amazonaws.com" holds a wildcard, which only StringLike expands',
        ),
        (
            "StringEqualsIgnoreCase",
            "SSM-Incidents.*.amazonaws.com",
            Unknown("var.region"),
            'its StringEqualsIgnoreCase value "SSM-Incidents.*.amazonaws.com" holds a wildcard, which only StringLike '
            "expands",
        ),
        (
            "StringEqualsIgnoreCase",
            "SSM-INCIDENTS.amazonaws.com",
            REGION,
            'its value "SSM-INCIDENTS.amazonaws.com" lacks the Region (ssm-incidents.<region>.amazonaws.com)',
        ),
        (
            "StringEquals",
            "ssm-incidents-beta.us-east-1.amazonaws.com",
            REGION,
            'its value "ssm-incidents-beta.us-east-1.amazonaws.com" '
            "does not match ssm-incidents.us-east-1.amazonaws.com",
        ),
    ],
)
def test_near_miss_says_why_the_value_does_not_admit_the_service(op, value, region, reason):
    doc = policy(
        allow(op=op, values=[value, "ssm-contacts.*.amazonaws.com"], sid="IncidentManager"),
        allow(op="StringLike", values="ssm-contacts.*.amazonaws.com"),
    )
    result = im7(doc, region)
    assert result.status is Status.FAILED
    assert near_miss_line("ssm-incidents", "kms:CreateGrant", 'Statement "IncidentManager"', reason) in result.details
    assert all(line.startswith("ssm-incidents cannot call") for line in result.details)


@pytest.mark.parametrize(
    "statement",
    [
        allow(values="ec2.*.amazonaws.com"),  # names no Incident Manager service
        allow(values=AWS_GUIDE_VALUES, action="kms:Decrypt"),  # not for the action
        allow(values=AWS_GUIDE_VALUES, principal=None),  # no principal: never a grant
        allow(condition={"StringLike": {"aws:SourceVpc": "ssm-incidents.amazonaws.com"}}),  # another condition key
        deny(action="kms:Decrypt", condition={"StringEquals": {"kms:ViaService": "ssm-incidents.amazonaws.com"}}),
    ],
)
def test_statements_that_are_no_near_miss_are_not_named(statement):
    result = im7(policy(statement))
    assert result.status is Status.FAILED
    assert missing_line("ssm-incidents", "kms:CreateGrant") in result.details


def test_near_miss_for_one_action_is_not_named_for_the_other():
    doc = policy(allow(action="kms:DescribeKey", values=AWS_GUIDE_VALUES, sid="DescribeOnly"))
    result = im7(doc)
    assert missing_line("ssm-incidents", "kms:CreateGrant") in result.details
    assert any(
        line.startswith(missing_line("ssm-incidents", "kms:DescribeKey") + '. Statement "DescribeOnly"')
        for line in result.details
    )


def test_near_miss_details_stay_short():
    long_value = "ssm-incidents." + "x" * 1000 + ".amazonaws.com"
    doc = policy(
        *[
            allow(
                op="StringEquals",
                values=[
                    long_value,
                    f"SSM-INCIDENTS.{n}",
                    "ssm-incidents.amazonaws.com",
                    "ssm-incidents.eu-west-1.amazonaws.com",
                ],
                sid="S" * 500,
            )
            for n in range(50)
        ]
    )
    result = im7(doc)
    assert result.status is Status.FAILED
    assert len(result.details) == 4
    assert all(len(line) < 3000 for line in result.details)
    assert result.details[0].count(" names ssm-incidents in kms:ViaService") == 3


# Whole-policy inputs ------------------------------------------------------------------------------
def test_no_policy():
    result = im7(None)
    assert result.status is Status.FAILED
    assert any("no key policy" in line and "default key policy" in line for line in result.details)
    assert im8(None).status is Status.PASSED
    assert names_incident_manager(None) is False


def test_unknown_policy():
    unresolved = Unknown("data.aws_iam_policy_document.x")
    assert im7(unresolved).status is Status.UNKNOWN
    assert "data.aws_iam_policy_document.x" in im7(unresolved).details[0]
    assert im8(unresolved).status is Status.UNKNOWN
    assert names_incident_manager(unresolved) is False


def test_policy_without_statements_fails():
    assert im7({"Version": "2012-10-17"}).status is Status.FAILED
    assert im8({"Version": "2012-10-17"}).status is Status.PASSED


def test_good_policy_passes_both_rules():
    assert im7(GOOD).status is Status.PASSED
    assert im8(GOOD).status is Status.PASSED
    assert names_incident_manager(GOOD) is True


# Unknown values inside statements -----------------------------------------------------------------
def test_unknown_action_is_unknown():
    result = im7(policy(allow(action=Unknown("var.actions"))))
    assert result.status is Status.UNKNOWN
    assert any("var.actions" in line for line in result.details)


def test_unknown_action_next_to_a_certain_gap_is_failed():
    # kms:DescribeKey might be the unknown item, but ssm-contacts is certainly not admitted.
    doc = policy(allow(action=["kms:CreateGrant", Unknown("var.extra")], values="ssm-incidents.*.amazonaws.com"))
    result = im7(doc)
    assert result.status is Status.FAILED
    assert missing_line("ssm-contacts", "kms:CreateGrant") in result.details
    assert missing_line("ssm-incidents", "kms:DescribeKey") not in result.details


def test_unknown_condition_value_is_unknown():
    result = im7(policy(allow(values=["ssm-incidents.*.amazonaws.com", Unknown("var.contacts_service")])))
    assert result.status is Status.UNKNOWN
    assert all(line.startswith("ssm-contacts") for line in result.details)


@pytest.mark.parametrize("condition", [Unknown("local.condition"), {"StringLike": Unknown("local.block")}])
def test_unknown_condition_or_block_is_unknown(condition):
    assert im7(policy(allow(condition=condition))).status is Status.UNKNOWN


def test_unknown_value_in_deny_is_unknown():
    doc = policy(allow(), deny(condition={"StringEquals": {"kms:ViaService": Unknown("var.denied")}}))
    assert im7(doc).status is Status.UNKNOWN


def test_unknown_deny_next_to_a_certain_deny_is_failed():
    doc = policy(allow(), deny(action=Unknown("var.a")), deny(action="kms:CreateGrant", sid="Certain"))
    result = im7(doc)
    assert result.status is Status.FAILED
    assert 'statement "Certain" denies kms:CreateGrant via ssm-contacts' in result.details


def test_unknown_effect_is_unknown():
    statement = allow()
    statement["Effect"] = Unknown("var.effect")
    assert im7(policy(statement)).status is Status.UNKNOWN
    assert im7(policy(allow(), statement)).status is Status.UNKNOWN  # it may be a Deny


def test_whole_unknown_statement_next_to_a_grant_is_unknown():
    assert im7(policy(allow(), Unknown("dynamic statement"))).status is Status.UNKNOWN
    assert im8(policy(allow(), Unknown("dynamic statement"))).status is Status.UNKNOWN


def test_unknown_statement_list_is_unknown():
    assert im7({"Statement": Unknown("var.statements")}).status is Status.UNKNOWN


def test_unknown_principal_still_grants_but_leaves_wildcard_unknown():
    doc = policy(allow(principal=Unknown("var.principal")))
    assert im7(doc).status is Status.PASSED
    assert im8(doc).status is Status.UNKNOWN
    doc = policy(allow(principal={"AWS": [Unknown("var.principal")]}))
    assert im8(doc).status is Status.UNKNOWN


def test_unknown_sid_falls_back_to_index():
    statement = deny(action="kms:CreateGrant")
    statement["Sid"] = Unknown("var.sid")
    result = im7(policy(allow(), statement))
    assert "statement 1 denies kms:CreateGrant via ssm-incidents" in result.details


# Malformed shapes ---------------------------------------------------------------------------------
def _deeply_nested(depth=20_000):
    junk = "kms:CreateGrant"
    for _ in range(depth):
        junk = [junk]
    return junk


def _deep_dict(depth=20_000):
    junk = {}
    for _ in range(depth):
        junk = {"StringLike": junk}
    return junk


MEGABYTE = "a" * 1_000_000

MALFORMED_POLICIES = {
    "policy is a list": [allow()],
    "policy is a string": '{"Statement": []}',
    "policy is a number": 42,
    "statement is a string": {"Statement": "junk"},
    "statement is a number": {"Statement": 7},
    "statement is None": {"Statement": None},
    "statement list of junk": {"Statement": [None, 1, 2.5, "x", [], {}]},
    "nested statement lists": {"Statement": [[allow()]]},
    "deeply nested statement": {"Statement": [_deeply_nested()]},
    "action is a number": policy(allow(action=42)),
    "action is a dict": policy(allow(action={"kms": "CreateGrant"})),
    "action list with None": policy(allow(action=[None, ["kms:CreateGrant"]])),
    "action and not_action": policy({**allow(), "NotAction": "kms:Decrypt"}),
    "no action at all": policy({k: v for k, v in allow().items() if k != "Action"}),
    "effect missing": policy({k: v for k, v in allow().items() if k != "Effect"}),
    "effect is a number": policy({**allow(), "Effect": 1}),
    "condition is a list": policy(allow(condition=[{"StringLike": {"kms:ViaService": SEED_VALUES}}])),
    "condition is None": policy({**allow(condition=None), "Condition": None}),
    "condition block is a list": policy(allow(condition={"StringLike": ["kms:ViaService"]})),
    "condition value is a dict": policy(allow(condition={"StringLike": {"kms:ViaService": {"a": 1}}})),
    "condition values are numbers and None": policy(allow(values=[1, None, 2.5, True])),
    "deeply nested condition value": policy(allow(values=_deeply_nested())),
    "deeply nested condition dict": policy(allow(condition=_deep_dict())),
    "principal is a list": policy(allow(principal=["*"])),
    "principal is a number": policy(allow(principal=5)),
    "principal value is a dict": policy(allow(principal={"AWS": {"x": "*"}})),
    "sid is a number": policy({**allow(action=42), "Sid": 5}),
    "non-string statement key": policy({**allow(action=42), 1: "x"}),
    "megabyte action": policy(allow(action=MEGABYTE)),
    "megabyte glob action": policy(allow(action="*" + MEGABYTE + "*")),
    "megabyte condition value": policy(allow(values=[MEGABYTE, "*" + MEGABYTE + "?*"])),
    "megabyte sid and principal": policy(
        deny(action=MEGABYTE, sid=MEGABYTE), allow(principal=MEGABYTE, action=MEGABYTE)
    ),
}


@pytest.mark.parametrize("region", [REGION, Unknown("var.region"), STACK_REGION, None, 12])
@pytest.mark.parametrize("name", sorted(MALFORMED_POLICIES, key=str))
def test_malformed_policies_never_raise_and_never_pass_im7(name, region):
    doc = MALFORMED_POLICIES[name]
    started = time.monotonic()
    result7, result8 = im7(doc, region), im8(doc, region)
    assert isinstance(result7, Result) and isinstance(result8, Result)
    assert result7.status is not Status.PASSED
    assert all(isinstance(line, str) for line in result7.details + result8.details)
    assert isinstance(names_incident_manager(doc), bool)
    assert time.monotonic() - started < 5


def test_malformed_statement_is_not_a_grant_but_may_be_a_wildcard_grant():
    doc = policy(allow(principal=["*"]))
    assert im7(doc).status is Status.FAILED
    assert im8(doc).status is Status.UNKNOWN


def test_malformed_deny_next_to_a_grant_is_unknown():
    doc = policy(allow(), deny(action=42))
    assert im7(doc).status is Status.UNKNOWN


def test_malformed_allow_next_to_a_grant_does_not_block_im7():
    doc = policy(allow(), allow(condition=[{"StringLike": {"kms:ViaService": "*"}}]))
    assert im7(doc).status is Status.PASSED
    assert im8(doc).status is Status.UNKNOWN


def test_junk_statements_next_to_a_grant():
    doc = {"Statement": [allow(), "junk", 7]}
    assert im7(doc).status is Status.UNKNOWN  # junk might be a Deny
    assert im8(doc).status is Status.UNKNOWN


def test_megabyte_values_are_judged():
    assert im7(policy(allow(action=MEGABYTE))).status is Status.FAILED
    assert im7(policy(allow(values=["*" + MEGABYTE]))).status is Status.FAILED
    assert im7(policy(allow(values=["*" + MEGABYTE])), Unknown("var.region")).status is not Status.PASSED
    assert names_incident_manager(policy(allow(values=[MEGABYTE + "ssm-contacts"]))) is True


# CKV_IM_8 -----------------------------------------------------------------------------------------
def grant_condition_with(op, key, value):
    """The seed's kms:ViaService condition plus one more condition (in the same block if the operator is the same)."""
    condition = {"StringLike": {"kms:ViaService": SEED_VALUES}}
    condition.setdefault(op, {})[key] = value
    return condition


@pytest.mark.parametrize(
    "principal", ["*", {"AWS": "*"}, {"AWS": ["arn:aws:iam::111122223333:root", "*"]}, {"AWS": ["*"]}]
)
def test_wildcard_principal_fails(principal):
    result = im8(policy(allow(principal=principal, sid="Open")))
    assert result.status is Status.FAILED
    assert any(line.startswith('statement "Open"') for line in result.details)


@pytest.mark.parametrize(
    "op, key, value",
    [
        ("StringEquals", "kms:CallerAccount", "111122223333"),
        ("StringEquals", "kms:CallerAccount", ["111122223333", "444455556666"]),
        ("StringEquals", "KMS:CALLERACCOUNT", "111122223333"),
        ("stringequals", "aws:PrincipalAccount", "111122223333"),
        ("StringEquals", "AWS:PRINCIPALORGID", "o-abc123"),
        ("StringLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/incident-lead"),
        ("StringEquals", "kms:CallerAccount", 111122223333),
        # a pin's value is what it is, whatever its case: it still pins the caller
        ("StringEquals", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/IncidentLead"),
        ("STRINGLIKE", "Aws:PrincipalArn", "arn:aws:iam::111122223333:role/IncidentLead"),
    ],
)
def test_wildcard_principal_pinned_to_the_caller_passes(op, key, value):
    doc = policy(allow(principal="*", condition=grant_condition_with(op, key, value)))
    assert im7(doc).status is Status.PASSED  # it is the Incident Manager grant
    assert im8(doc).status is Status.PASSED


@pytest.mark.parametrize(
    "op, key, value",
    [
        ("StringLike", "kms:CallerAccount", "1111*"),
        ("StringLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/?"),
        ("StringNotEquals", "kms:CallerAccount", "444455556666"),
        ("StringEquals", "aws:SourceAccount", "111122223333"),
        ("StringEquals", "kms:CallerAccount", []),
    ],
)
def test_wildcard_principal_not_pinned_fails(op, key, value):
    doc = policy(allow(principal={"AWS": "*"}, condition=grant_condition_with(op, key, value)))
    assert im7(doc).status is Status.PASSED
    assert im8(doc).status is Status.FAILED


def test_wildcard_principal_with_unknown_pin_value_is_unknown():
    condition = {
        "StringLike": {"kms:ViaService": SEED_VALUES},
        "StringEquals": {"kms:CallerAccount": Unknown("var.account")},
    }
    result = im8(policy(allow(principal="*", condition=condition)))
    assert result.status is Status.UNKNOWN
    assert any("var.account" in line for line in result.details)


def test_wildcard_principal_pinned_by_a_string_known_only_later_passes():
    """CloudFormation's StringEquals kms:CallerAccount: !Ref AWS::AccountId (a string, compared literally)."""
    condition = {
        "StringLike": {"kms:ViaService": SEED_VALUES},
        "StringEquals": {"kms:CallerAccount": UnknownTemplate("${AWS::AccountId}")},
    }
    assert im8(policy(allow(principal="*", condition=condition))).status is Status.PASSED
    condition["StringLike"]["kms:CallerAccount"] = condition.pop("StringEquals")["kms:CallerAccount"]
    assert im8(policy(allow(principal="*", condition=condition))).status is Status.UNKNOWN  # may hold a wildcard


def test_named_principal_passes():
    assert im8(GOOD).status is Status.PASSED


@pytest.mark.parametrize(
    "statement",
    [
        allow(principal="*", condition=None),  # no kms:ViaService: not the grant
        allow(principal="*", action="kms:Decrypt"),  # not a required action
        allow(principal="*", values="ec2.*.amazonaws.com"),  # not via Incident Manager
        deny(action="kms:CreateGrant"),  # a Deny names "*" harmlessly
    ],
)
def test_wildcard_principal_outside_the_incident_manager_grant_passes(statement):
    assert im8(policy(allow(), statement)).status is Status.PASSED


def test_wildcard_principal_on_region_pinned_grant_with_unknown_region_is_unknown():
    doc = policy(allow(principal="*", values=PINNED_VALUES))
    assert im8(doc, Unknown("var.region")).status is Status.UNKNOWN
    assert im8(doc, REGION).status is Status.FAILED
    assert im8(doc, "eu-west-1").status is Status.PASSED


@pytest.mark.parametrize(
    "op, values, region, expected",
    [
        # a mixed-case value never matches: the statement grants nothing, so its "*" exposes nothing
        ("StringLike", ["SSM-Incidents.*.amazonaws.com", "SSM-Contacts.*.amazonaws.com"], REGION, Status.PASSED),
        ("StringEquals", [SHOUTED_INCIDENTS, "SSM-CONTACTS.us-east-1.amazonaws.com"], REGION, Status.PASSED),
        (
            "StringEquals",
            [SHOUTED_INCIDENTS, "SSM-CONTACTS.us-east-1.amazonaws.com"],
            Unknown("var.region"),
            Status.PASSED,
        ),
        # ... unless the operator ignores case
        ("StringEqualsIgnoreCase", [SHOUTED_INCIDENTS, "SSM-CONTACTS.us-east-1.amazonaws.com"], REGION, Status.FAILED),
        (
            "StringEqualsIgnoreCase",
            [SHOUTED_INCIDENTS, "SSM-CONTACTS.us-east-1.amazonaws.com"],
            "eu-west-1",
            Status.PASSED,
        ),
        (
            "StringEqualsIgnoreCase",
            [SHOUTED_INCIDENTS, "SSM-CONTACTS.us-east-1.amazonaws.com"],
            Unknown("var.region"),
            Status.UNKNOWN,
        ),
    ],
)
def test_wildcard_principal_grant_is_matched_case_sensitively(op, values, region, expected):
    assert im8(policy(allow(principal="*", op=op, values=values)), region).status is expected


def test_wildcard_principal_on_partial_grant_still_fails():
    doc = policy(allow(principal="*", action="kms:DescribeKey", values="ssm-contacts.*.amazonaws.com"))
    assert im8(doc).status is Status.FAILED


# names_incident_manager ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "doc, expected",
    [
        (GOOD, True),
        (policy(allow(values="arn-like-SSM-Contacts-thing")), True),
        (
            policy(deny(condition={"StringNotEquals": {"kms:ViaService": "ssm-incidents.us-east-1.amazonaws.com"}})),
            True,
        ),
        (policy(allow(op="ForAnyValue:StringEquals", values=["", "ssm-incidents.eu-west-1.amazonaws.com"])), True),
        (policy(allow(values=["", ""], action="kms:*")), True),
        (policy(allow(values="")), True),
        (policy(allow(values=["", ""], action="kms:DescribeKey")), False),
        (policy({**deny(condition={"StringLike": {"kms:ViaService": ["", ""]}})}), False),
        (policy(allow(values=["", Unknown("var.x")])), False),
        (policy(allow(values=[])), False),
        (policy(allow(values="ec2.*.amazonaws.com")), False),
        (policy(allow(condition=None)), False),
        (policy(allow(condition={"StringEquals": {"aws:PrincipalTag/team": "ssm-incidents"}})), False),
        (None, False),
        (Unknown("x"), False),
        ("ssm-incidents", False),
        ({"Statement": "ssm-incidents"}, False),
        ({"Statement": [{"Condition": "ssm-incidents"}, {"Condition": {"StringLike": "ssm-contacts"}}]}, False),
        ({"Statement": [{"Condition": {1: {"kms:ViaService": "ssm-incidents"}}}]}, False),
    ],
)
def test_names_incident_manager(doc, expected):
    assert names_incident_manager(doc) is expected


def test_public_constants():
    assert INCIDENT_MANAGER_SERVICES == ("ssm-incidents", "ssm-contacts")
    assert REQUIRED_ACTIONS == ("kms:CreateGrant", "kms:DescribeKey")


# Three-valued soundness: resolving an Unknown never flips a PASSED or FAILED ------------------------
class _Hole:
    """A place in a generated policy that is Unknown in one copy and a random concrete value in others."""

    def __init__(self, make):
        self.make = make


def _random_policy(rnd):
    def maybe(make, p=0.15):
        return _Hole(make) if rnd.random() < p else make()

    def values():
        return [
            maybe(
                lambda: rnd.choice(
                    SEED_VALUES
                    + PINNED_VALUES
                    + [
                        "ssm-*",
                        "",
                        "*.eu-west-1.amazonaws.com",
                        "ssm-incidents.amazonaws.com",
                        "SSM-*",
                        SHOUTED_INCIDENTS,
                    ]
                )
            )
            for _ in range(rnd.randint(1, 3))
        ]

    def condition():
        operators = [
            "StringLike",
            "StringEquals",
            "StringNotEquals",
            "StringNotLike",
            "ForAnyValue:StringLike",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
        ]
        block = {"kms:ViaService": values()}
        if rnd.random() < 0.3:
            block[rnd.choice(["kms:CallerAccount", "aws:SourceAccount"])] = [maybe(lambda: rnd.choice(["1", "1*"]))]
        return {rnd.choice(operators): block}

    def statement():
        result = {
            "Effect": maybe(lambda: rnd.choice(["Allow", "Deny"]), 0.05),
            rnd.choice(["Action", "NotAction"]): [
                maybe(lambda: rnd.choice(["kms:*", "kms:CreateGrant", "kms:Describe*", "kms:Decrypt"]))
            ],
        }
        if rnd.random() < 0.9:
            result["Principal"] = maybe(lambda: rnd.choice(["*", {"AWS": "*"}, ACCOUNT_ROOT]), 0.1)
        if rnd.random() < 0.85:
            result["Condition"] = maybe(condition, 0.05)
        return result

    good = [allow()] if rnd.random() < 0.6 else []
    return {"Statement": good + [maybe(statement, 0.05) for _ in range(rnd.randint(1, 3))]}


def _resolve(template, fill):
    if isinstance(template, _Hole):
        return _resolve(template.make(), fill) if fill else Unknown("hole")
    if isinstance(template, dict):
        return {key: _resolve(value, fill) for key, value in template.items()}
    if isinstance(template, list):
        return [_resolve(value, fill) for value in template]
    return template


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("rule", [required_grants_result, wildcard_principal_result])
def test_resolving_unknowns_never_changes_a_decided_verdict(rule, seed):
    rnd = random.Random(seed)
    decided = 0
    for _ in range(300):
        template = _random_policy(rnd)
        region_unknown = rnd.random() < 0.3
        verdict = rule(_resolve(template, fill=False), Unknown("var.region") if region_unknown else REGION).status
        if verdict is Status.UNKNOWN:
            continue
        decided += 1
        for _ in range(3):
            region = rnd.choice([REGION, "eu-west-1"]) if region_unknown else REGION
            assert rule(_resolve(template, fill=True), region).status is verdict
    assert decided > 100


# --- unresolved principals that are templates -------------------------------------------------------


@pytest.mark.parametrize(
    "principal, expected",
    [
        ({"AWS": UnknownTemplate("arn:aws:iam::${data.aws_caller_identity.current.account_id}:root")}, Status.PASSED),
        ({"AWS": UnknownTemplate("var.principal")}, Status.UNKNOWN),
        ({"AWS": UnknownTemplate("${var.principal}")}, Status.UNKNOWN),
        ({"AWS": UnknownTemplate("*${var.suffix}")}, Status.UNKNOWN),
    ],
)
def test_template_principal_with_literal_text_is_not_a_wildcard(principal, expected):
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": principal,
                "Action": ["kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {
                    "StringLike": {"kms:ViaService": ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]}
                },
            }
        ]
    }
    assert wildcard_principal_result(policy, "us-east-1").status is expected
