"""The rule functions on hand-built models: cases no Terraform fixture can express (yet)."""

from __future__ import annotations

import pytest

from ckv_im import rules
from ckv_im.model import (
    STACK_REGION,
    KeyRef,
    KmsKey,
    PlanChange,
    RegionEntry,
    ReplicationSet,
    ScanModel,
    SnsTopic,
    Status,
    Unknown,
)

IM_POLICY = {
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": ["kms:CreateGrant", "kms:DescribeKey"],
            "Condition": {
                "StringLike": {"kms:ViaService": ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]}
            },
        }
    ]
}


def im_key(**fields) -> KmsKey:
    return KmsKey(
        **{
            "name": "key",
            "resource_type": "aws_kms_key",
            "region": "us-east-1",
            "policy": IM_POLICY,
            "deletion_guard": True,
            **fields,
        }
    )


def rset(*entries: RegionEntry, **fields) -> ReplicationSet:
    return ReplicationSet(name="rs", resource_type="AWS::SSMIncidents::ReplicationSet", entries=list(entries), **fields)


def entry(name, key_region, text="key") -> RegionEntry:
    return RegionEntry(name, KeyRef(text, "key_arn", region=key_region))


EMPTY = ScanModel()


@pytest.mark.parametrize(
    "fields, status",
    [
        ({}, Status.PASSED),
        ({"xks_key_id": "xks-123", "custom_key_store_id": "cks-123"}, Status.FAILED),
        ({"origin": "AWS_CLOUDHSM"}, Status.FAILED),
        ({"origin": "EXTERNAL"}, Status.FAILED),
        ({"resource_type": "aws_kms_replica_external_key"}, Status.FAILED),
        ({"custom_key_store_id": Unknown("a parameter without default")}, Status.UNKNOWN),
        ({"origin": Unknown("x"), "custom_key_store_id": "cks-1"}, Status.FAILED),  # resolved parts already break it
    ],
)
def test_ckv_im_2(fields, status):
    assert rules.no_imported_material_or_custom_store(im_key(**fields), EMPTY).status is status


def test_ckv_im_1_replica_follows_its_primary():
    hmac = im_key(name="primary", key_spec="HMAC_256", key_usage="GENERATE_VERIFY_MAC")
    assert rules.symmetric_encryption_key(im_key(primary=hmac), EMPTY).status is Status.FAILED
    assert rules.symmetric_encryption_key(im_key(primary=Unknown("not in the scan")), EMPTY).status is Status.UNKNOWN
    assert rules.symmetric_encryption_key(im_key(key_spec=Unknown("var")), EMPTY).status is Status.UNKNOWN


def test_key_rules_ignore_keys_that_are_not_incident_manager_keys():
    plain = im_key(policy=None, key_spec="HMAC_256")
    assert rules.symmetric_encryption_key(plain, EMPTY).status is Status.UNKNOWN
    used = ScanModel(key_users={"key": ["rs"]})
    assert rules.symmetric_encryption_key(plain, used).status is Status.FAILED


@pytest.mark.parametrize(
    "entries, status",
    [
        # all in the stack Region
        ((entry(STACK_REGION, STACK_REGION),), Status.PASSED),
        # stack keys serving two different literal Regions: they cannot both be the stack Region
        ((entry("us-east-1", STACK_REGION), entry("us-west-2", STACK_REGION)), Status.FAILED),
        # a literal entry served by a stack key next to an AWS::Region entry: distinct Regions
        ((entry(STACK_REGION, STACK_REGION), entry("us-west-2", STACK_REGION)), Status.FAILED),
        # one literal entry served by a stack key: right only if deployed there
        ((entry("us-east-1", STACK_REGION),), Status.UNKNOWN),
        # an AWS::Region entry served by a literal ARN: depends on the stack Region
        ((entry(STACK_REGION, "us-east-1"),), Status.UNKNOWN),
        # literal Regions
        ((entry("us-east-1", "us-east-1"), entry("us-west-2", "us-west-2")), Status.PASSED),
        ((entry("us-east-1", "us-east-1"), entry("us-west-2", "us-east-1")), Status.FAILED),
        ((entry("us-east-1", "us-east-1"), entry("us-west-2", Unknown("var"))), Status.UNKNOWN),
        ((entry("us-east-1", "eu-west-1"), entry("us-west-2", Unknown("var"))), Status.FAILED),
        ((RegionEntry("us-east-1", None),), Status.PASSED),
    ],
)
def test_ckv_im_3(entries, status):
    assert rules.key_region_matches_entry(rset(*entries), EMPTY).status is status


def test_ckv_im_3_details_name_entry_key_and_both_regions():
    result = rules.key_region_matches_entry(
        rset(RegionEntry("us-west-2", KeyRef("aws_kms_key.k.arn", "key_arn", region="us-east-1"), line=12)), EMPTY
    )
    assert result.details == (
        "Region entry us-west-2 (line 12) uses aws_kms_key.k.arn, a key in us-east-1: use a key in us-west-2",
    )


@pytest.mark.parametrize(
    "entries, im4, im13",
    [
        ((entry("a", "a"), entry("b", "b")), Status.PASSED, Status.PASSED),
        ((RegionEntry("a", None), RegionEntry("b", None)), Status.PASSED, Status.FAILED),
        ((entry("a", "a"), RegionEntry("b", None)), Status.FAILED, Status.FAILED),
        ((entry("a", "a"), RegionEntry("b", Unknown("could be null"))), Status.UNKNOWN, Status.UNKNOWN),
        ((RegionEntry("a", None), RegionEntry("b", Unknown("could be null"))), Status.UNKNOWN, Status.FAILED),
    ],
)
def test_ckv_im_4_and_13(entries, im4, im13):
    assert rules.all_or_no_customer_managed_keys(rset(*entries), EMPTY).status is im4
    assert rules.customer_managed_keys_everywhere(rset(*entries), EMPTY).status is im13


@pytest.mark.parametrize(
    "provider_region, names, status",
    [
        ("us-east-1", ("us-east-1", "us-west-2"), Status.PASSED),
        ("eu-west-1", ("us-east-1", "us-west-2"), Status.FAILED),
        (Unknown("no region"), ("us-east-1",), Status.UNKNOWN),
        ("eu-west-1", ("us-east-1", Unknown("var")), Status.UNKNOWN),
    ],
)
def test_ckv_im_5(provider_region, names, status):
    entries = [RegionEntry(name, None) for name in names]
    assert rules.provider_region_is_replicated(rset(*entries, provider_region=provider_region), EMPTY).status is status


@pytest.mark.parametrize(
    "naming, status",
    [
        ("key_arn", Status.PASSED),
        ("key_id", Status.FAILED),
        ("alias_arn", Status.FAILED),
        ("alias_name", Status.FAILED),
        ("other", Status.FAILED),
        (Unknown("?"), Status.UNKNOWN),
    ],
)
def test_ckv_im_14(naming, status):
    assert rules.keys_named_by_arn(rset(RegionEntry("a", KeyRef("k", naming))), EMPTY).status is status


@pytest.mark.parametrize(
    "fields, status",
    [
        ({}, Status.PASSED),
        ({"enabled": False}, Status.FAILED),
        ({"deletion_guard": False}, Status.FAILED),
        ({"enabled": Unknown("var")}, Status.UNKNOWN),
        ({"enabled": Unknown("var"), "deletion_guard": False}, Status.FAILED),
    ],
)
def test_ckv_im_9(fields, status):
    assert rules.key_enabled_and_guarded(im_key(**fields), EMPTY).status is status


@pytest.mark.parametrize(
    "topic, status",
    [
        (SnsTopic("t"), Status.UNKNOWN),  # no response plan uses it: no result
        (SnsTopic("t", used_by=["plan"]), Status.FAILED),
        (SnsTopic("t", "alias/aws/sns", used_by=["plan"]), Status.PASSED),
        (SnsTopic("t", Unknown("var"), used_by=["plan"]), Status.UNKNOWN),
    ],
)
def test_ckv_im_12(topic, status):
    assert rules.response_plan_topic_encrypted(topic, EMPTY).status is status


def test_policy_rules_do_not_judge_a_policy_another_resource_may_replace():
    key = im_key(policy_may_be_replaced=True)
    assert rules.required_key_policy_statement(key, EMPTY).status is Status.UNKNOWN
    assert rules.no_wildcard_principal(key, EMPTY).status is Status.UNKNOWN
    assert rules.symmetric_encryption_key(key, EMPTY).status is Status.PASSED  # still an Incident Manager key


@pytest.mark.parametrize(
    "change, im15, im16",
    [
        (PlanChange(("create",)), Status.PASSED, Status.PASSED),
        (PlanChange(("no-op",)), Status.PASSED, Status.PASSED),
        (PlanChange(("delete", "create")), Status.FAILED, Status.PASSED),  # replace
        (PlanChange(("create", "delete")), Status.FAILED, Status.PASSED),  # create-before-destroy replace
        (PlanChange(("update",), rekeyed=["us-west-2 re-keyed"]), Status.FAILED, Status.PASSED),
        (PlanChange(("update",), undecided=["us-west-2 ?"]), Status.UNKNOWN, Status.PASSED),
        (PlanChange(("no-op",), lost_keys=["the plan deletes aws_kms_key.a"]), Status.PASSED, Status.FAILED),
    ],
)
def test_plan_rules(change, im15, im16):
    replication_set = rset(entry("us-east-1", "us-east-1"), plan=change)
    assert rules.plan_keeps_replication_set(replication_set, EMPTY).status is im15
    assert rules.plan_keeps_used_keys(replication_set, EMPTY).status is im16


def test_plan_rules_give_no_result_outside_a_plan():
    assert rules.plan_keeps_replication_set(rset(entry("a", "a")), EMPTY).status is Status.UNKNOWN
    assert rules.plan_keeps_used_keys(rset(entry("a", "a")), EMPTY).status is Status.UNKNOWN


# --- details lines name unresolved entries by their expression, in grammatical sentences --------------
LOCAL_REGION = Unknown("Region entry name is not a literal Region", expression="local.current_region")


def test_an_unresolved_entry_is_named_by_its_expression():
    result = rules.customer_managed_keys_everywhere(
        rset(RegionEntry(LOCAL_REGION, None, line=3), RegionEntry("eu-west-1", None, line=6)), EMPTY
    )
    assert result.details == (
        "entries local.current_region (line 3) and eu-west-1 (line 6) use the AWS owned key: "
        "give them customer managed keys",
    )


def test_one_entry_is_singular():
    result = rules.customer_managed_keys_everywhere(
        rset(RegionEntry(LOCAL_REGION, None, line=3), entry("eu-west-1", "eu-west-1")), EMPTY
    )
    assert result.details == (
        "entry local.current_region (line 3) uses the AWS owned key: give it a customer managed key",
    )


def test_an_unresolved_region_without_an_expression_says_why():
    result = rules.customer_managed_keys_everywhere(rset(RegionEntry(Unknown("known only after apply"), None)), EMPTY)
    assert result.details == (
        "entry an unresolved Region (known only after apply) uses the AWS owned key: give it a customer managed key",
    )


def test_ckv_im_4_details_name_both_groups():
    result = rules.all_or_no_customer_managed_keys(
        rset(
            entry("us-east-1", "us-east-1"),
            RegionEntry(LOCAL_REGION, None, line=3),
            RegionEntry("eu-west-1", None, line=6),
        ),
        EMPTY,
    )
    assert result.details == (
        "entry us-east-1 uses a customer managed key but local.current_region (line 3) and "
        "eu-west-1 (line 6) use the AWS owned key: use customer managed keys in all Regions "
        "or in none",
    )
    undecided = rules.all_or_no_customer_managed_keys(
        rset(entry("us-east-1", "us-east-1"), RegionEntry(LOCAL_REGION, Unknown("var.key has no value"), line=3)), EMPTY
    )
    assert undecided.details == ("the key of entry local.current_region (line 3) is not resolved and could be unset",)


def test_ckv_im_13_undecided_keys_are_plural_for_several_entries():
    result = rules.customer_managed_keys_everywhere(
        rset(RegionEntry("us-east-1", Unknown("x"), line=2), RegionEntry(LOCAL_REGION, Unknown("y"), line=5)), EMPTY
    )
    assert result.details == (
        "the keys of entries us-east-1 (line 2) and local.current_region (line 5) are not resolved and could be unset",
    )


def test_ckv_im_3_and_14_name_the_entry_by_its_expression():
    region_result = rules.key_region_matches_entry(
        rset(RegionEntry(LOCAL_REGION, KeyRef("aws_kms_key.east.arn", "key_arn", region="us-east-1"), line=3)), EMPTY
    )
    assert region_result.details == (
        "Region entry local.current_region (line 3) uses aws_kms_key.east.arn in us-east-1",
    )
    naming_result = rules.keys_named_by_arn(
        rset(RegionEntry(LOCAL_REGION, KeyRef("aws_kms_key.east.key_id", "key_id"), line=3)), EMPTY
    )
    assert naming_result.details == (
        "Region entry local.current_region (line 3) names its key by a key ID "
        "(aws_kms_key.east.key_id): use the key ARN",
    )


def test_ckv_im_5_names_the_unresolved_entries():
    result = rules.provider_region_is_replicated(
        rset(RegionEntry("us-west-2", None), RegionEntry(LOCAL_REGION, None, line=3), provider_region="us-east-1"),
        EMPTY,
    )
    assert result.status is Status.UNKNOWN
    assert result.details == (
        "provider Region us-east-1 is not among the resolved Region entries; the Region of "
        "entry local.current_region (line 3) is not resolved",
    )
