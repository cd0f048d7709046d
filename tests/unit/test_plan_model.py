"""The plan model builder on real plans (fixtures/terraform_plan), whole or trimmed: keys, Regions, entries,
plan changes, topics and who uses what, read without Checkov."""

from __future__ import annotations

import copy
import json
from typing import Any

from ckv_im.model import KeyRef, ScanModel, Unknown
from ckv_im.plan_model import PlanModelBuilder
from support.manifest import FIXTURES_DIR

PLANS_DIR = FIXTURES_DIR / "terraform_plan"
SET = "aws_ssmincidents_replication_set.main"


def committed_plan(name: str) -> dict[str, Any]:
    return json.loads((PLANS_DIR / name / "plan.json").read_text(encoding="utf-8"))


def without(document: dict[str, Any], *addresses: str) -> dict[str, Any]:
    """The plan with these resources taken out of every section, as if the configuration never had them."""

    def trimmed(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: trimmed(value) for key, value in node.items()}
        if isinstance(node, list):
            return [trimmed(item) for item in node if not (isinstance(item, dict) and item.get("address") in addresses)]
        return node

    return trimmed(copy.deepcopy(document))


def build(document: dict[str, Any]) -> ScanModel:
    return PlanModelBuilder(document).build()


def key_ref(entry) -> KeyRef:
    assert isinstance(entry.key, KeyRef), entry
    return entry.key


def test_keys_take_the_region_of_their_provider_and_have_no_visible_guard():
    keys = build(committed_plan("region_compliant")).keys
    assert {name: key.region for name, key in keys.items()} == {
        "aws_kms_key.east": "us-east-1",
        "aws_kms_key.west": "us-west-2",
    }
    east = keys["aws_kms_key.east"]
    assert (east.key_spec, east.key_usage, east.origin, east.enabled) == (
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
        "AWS_KMS",
        True,
    )
    assert isinstance(east.deletion_guard, Unknown) and "no lifecycle" in east.deletion_guard.reason
    assert isinstance(east.policy, dict) and east.policy_source == "the policy argument of aws_kms_key.east"


def test_entries_lead_to_their_keys_and_key_users_follow():
    model = build(committed_plan("region_compliant"))
    entries = model.replication_sets[SET].entries
    assert isinstance(entries, list)
    assert [(entry.name, key_ref(entry).text, key_ref(entry).naming, key_ref(entry).region) for entry in entries] == [
        ("us-east-1", "aws_kms_key.east.arn", "key_arn", "us-east-1"),
        ("us-west-2", "aws_kms_key.west.arn", "key_arn", "us-west-2"),
    ]
    assert [key_ref(entry).key for entry in entries] == [model.keys["aws_kms_key.east"], model.keys["aws_kms_key.west"]]
    assert model.key_users == {"aws_kms_key.east": [SET], "aws_kms_key.west": [SET]}
    assert model.replication_sets[SET].provider_region == "us-east-1"


def test_a_key_missing_from_the_plan_leaves_its_entry_without_a_key_resource():
    model = build(without(committed_plan("region_compliant"), "aws_kms_key.west"))
    entries = model.replication_sets[SET].entries
    assert isinstance(entries, list)
    west = key_ref(entries[1])
    assert (entries[1].name, west.text, west.naming, west.key) == ("us-west-2", "aws_kms_key.west.arn", "key_arn", None)
    assert isinstance(west.region, Unknown) and "known only after apply" in west.region.reason
    assert model.key_users == {"aws_kms_key.east": [SET]}


def test_entries_join_their_configuration_by_region_name_not_position():
    document = committed_plan("region_compliant")
    configured = next(
        resource for resource in document["configuration"]["root_module"]["resources"] if resource["address"] == SET
    )
    configured["expressions"]["region"].reverse()
    entries = build(document).replication_sets[SET].entries
    assert isinstance(entries, list)
    assert [(entry.name, key_ref(entry).text) for entry in entries] == [
        ("us-east-1", "aws_kms_key.east.arn"),
        ("us-west-2", "aws_kms_key.west.arn"),
    ]


def test_dynamic_entries_have_no_configuration_in_the_plan():
    model = build(committed_plan("region_dynamic_blocks_local"))
    entries = model.replication_sets[SET].entries
    assert isinstance(entries, list) and [entry.name for entry in entries] == ["us-east-1", "us-west-2"]
    assert all(
        isinstance(entry.key, Unknown) and "configuration is not in the plan" in entry.key.reason for entry in entries
    )
    assert model.key_users == {}


def test_aliases_lead_to_their_keys_and_name_them_as_written():
    model = build(committed_plan("ref_alias_references"))
    entries = model.replication_sets[SET].entries
    assert isinstance(entries, list)
    assert [(key_ref(entry).text, key_ref(entry).naming, key_ref(entry).key) for entry in entries] == [
        ("aws_kms_alias.east.target_key_arn", "key_arn", model.keys["aws_kms_key.east"]),
        ("aws_kms_alias.west.arn", "alias_arn", model.keys["aws_kms_key.west"]),
    ]


def test_a_replica_takes_its_primary_and_a_policy_resource_wins():
    replica = build(committed_plan("ref_replica_key")).keys["aws_kms_replica_key.west"]
    assert replica.primary is not None and not isinstance(replica.primary, Unknown)
    assert (replica.primary.name, replica.region) == ("aws_kms_key.primary", "us-west-2")
    key = build(committed_plan("policy_key_policy_resource")).keys["aws_kms_key.incident_manager"]
    assert key.policy_source == "aws_kms_key_policy.incident_manager" and isinstance(key.policy, dict)


def test_response_plans_record_their_topics_and_topics_their_users():
    model = build(committed_plan("im_sns_topics"))
    plan = model.im_resources["aws_ssmincidents_response_plan.payments_degraded"]
    assert plan.notification_topics == ["aws_sns_topic.chat", "aws_sns_topic.notify", "aws_sns_topic.escalation"]
    assert {name: (topic.kms_master_key_id, topic.used_by) for name, topic in model.topics.items()} == {
        "aws_sns_topic.billing_alerts": (None, []),
        "aws_sns_topic.chat": (None, [plan.name]),
        "aws_sns_topic.escalation": ("a key known only after apply", [plan.name]),
        "aws_sns_topic.notify": ("alias/aws/sns", [plan.name]),
    }
    assert plan.name_fields["incident_template.title"] == "Payments degraded"
    assert model.im_resources["aws_ssmcontacts_contact.sre_oncall"].name_fields == {
        "alias": "sre-oncall",
        "display_name": "SRE on-call",
    }


def test_topics_are_followed_through_module_outputs():
    model = build(committed_plan("im_sns_topics_module"))
    plan = "aws_ssmincidents_response_plan.payments_degraded"
    assert model.topics["module.chat.aws_sns_topic.this"].used_by == [plan]
    assert model.topics["aws_sns_topic.notify"].used_by == []


def test_a_topic_missing_from_the_plan_has_no_users():
    model = build(without(committed_plan("im_sns_topics"), "aws_sns_topic.chat"))
    plan = model.im_resources["aws_ssmincidents_response_plan.payments_degraded"]
    assert plan.notification_topics == ["aws_sns_topic.notify", "aws_sns_topic.escalation"]
    assert "aws_sns_topic.chat" not in model.topics


def test_plan_changes_name_the_rekeyed_entry_and_the_deleted_key():
    rekey = build(committed_plan("plan_rekey_replication_set")).replication_sets[SET].plan
    assert rekey is not None and rekey.actions == ("update",)
    assert rekey.rekeyed == [
        "Region entry us-west-2: its key arn:aws:kms:us-west-2:111122223333:key/"
        "40913e66-d02f-4c43-8b68-03964cf70c6d becomes a key known only after apply"
    ]
    assert rekey.lost_keys == []
    deleted = build(committed_plan("plan_delete_used_key")).replication_sets[SET].plan
    assert deleted is not None and deleted.lost_keys == [
        "the plan deletes aws_kms_key.west_a, used by Region entry us-west-2 before the plan: keep the key "
        "while the replication set uses it"
    ]
    added = build(committed_plan("plan_add_region")).replication_sets[SET].plan
    assert added is not None and (added.actions, added.rekeyed, added.lost_keys) == (("update",), [], [])
