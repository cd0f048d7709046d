"""The CloudFormation model builder on small templates: keys in the stack Region, entries and how they name
their keys, guards, topics, Incident Manager resources and who uses what."""

from __future__ import annotations

from typing import Any

from ckv_im.cloudformation_model import build_model
from ckv_im.model import STACK_REGION, KeyRef, ScanModel, Unknown

KEY = "AWS::KMS::Key"
SET = "AWS::SSMIncidents::ReplicationSet.Set"


def template(resources: dict[str, Any], **sections: Any) -> dict[str, Any]:
    return {"AWSTemplateFormatVersion": "2010-09-09", **sections, "Resources": resources}


def entry(region: Any, key: Any = None) -> dict[str, Any]:
    configuration = {"RegionConfiguration": {"SseKmsKeyId": key}} if key is not None else {}
    return {"RegionName": region, **configuration}


def replication_set(*entries: dict[str, Any], **attributes: Any) -> dict[str, Any]:
    return {"Type": "AWS::SSMIncidents::ReplicationSet", **attributes, "Properties": {"Regions": list(entries)}}


def key_ref(entry_) -> KeyRef:
    assert isinstance(entry_.key, KeyRef), entry_
    return entry_.key


KEYS = {
    "Key": {
        "Type": KEY,
        "DeletionPolicy": "Retain",
        "Properties": {"Description": "Incident Manager data", "KeyPolicy": {"Version": "2012-10-17", "Statement": []}},
    },
    "RsaKey": {
        "Type": KEY,
        "Properties": {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY", "Tags": [{"Key": "Team", "Value": "sre"}]},
    },
    "Alias": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/incident", "TargetKeyId": {"Ref": "Key"}}},
    "Replica": {
        "Type": "AWS::KMS::ReplicaKey",
        "Properties": {"PrimaryKeyArn": {"Fn::GetAtt": ["Key", "Arn"]}, "KeyPolicy": '{"Statement": []}'},
    },
    "Orphan": {
        "Type": "AWS::KMS::ReplicaKey",
        "Properties": {"PrimaryKeyArn": {"Fn::ImportValue": "primary-arn"}, "KeyPolicy": {"Statement": []}},
    },
}


def test_keys_live_in_the_stack_region_with_their_properties():
    keys = build_model(template(KEYS)).keys
    assert set(keys) == {f"{KEY}.Key", f"{KEY}.RsaKey", "AWS::KMS::ReplicaKey.Replica", "AWS::KMS::ReplicaKey.Orphan"}
    assert all(key.region is STACK_REGION for key in keys.values())
    key, rsa = keys[f"{KEY}.Key"], keys[f"{KEY}.RsaKey"]
    assert (key.key_spec, key.key_usage, key.origin, key.enabled) == (
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
        "AWS_KMS",
        True,
    )
    assert (rsa.key_spec, rsa.key_usage, rsa.tags) == ("RSA_2048", "SIGN_VERIFY", {"Team": "sre"})
    assert (key.deletion_guard, rsa.deletion_guard) == (True, False)
    assert key.policy == {"Version": "2012-10-17", "Statement": []} and rsa.policy is None
    assert key.where == {
        "policy": ("Properties", "KeyPolicy"),
        "description": ("Properties", "Description"),
        "deletion_guard": ("DeletionPolicy",),
    }


def test_a_replica_takes_its_primary_or_says_why_not():
    keys = build_model(template(KEYS)).keys
    replica, orphan = keys["AWS::KMS::ReplicaKey.Replica"], keys["AWS::KMS::ReplicaKey.Orphan"]
    assert replica.primary is keys[f"{KEY}.Key"] and replica.policy == {"Statement": []}
    assert isinstance(orphan.primary, Unknown) and isinstance(orphan.origin, Unknown)
    assert "the primary's" in orphan.origin.reason


def test_entries_name_their_keys_by_reference_alias_or_literal():
    model = build_model(
        template(
            {
                **KEYS,
                "Set": replication_set(
                    entry({"Ref": "AWS::Region"}, {"Fn::GetAtt": ["Key", "Arn"]}),
                    entry("eu-west-1", {"Ref": "Alias"}),
                    entry("us-west-2", "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
                    entry("ap-southeast-2"),
                ),
            }
        )
    ).replication_sets[SET]
    assert isinstance(model.entries, list)
    stack, ireland, oregon, sydney = model.entries
    assert stack.name is STACK_REGION and [entry_.name for entry_ in model.entries[1:]] == [
        "eu-west-1",
        "us-west-2",
        "ap-southeast-2",
    ]
    assert (key_ref(stack).text, key_ref(stack).naming, key_ref(stack).region) == (
        "!GetAtt Key.Arn",
        "key_arn",
        STACK_REGION,
    )
    assert (key_ref(ireland).naming, key_ref(ireland).region) == ("alias_name", STACK_REGION)
    assert key_ref(stack).key is key_ref(ireland).key and key_ref(stack).key is not None
    assert (key_ref(oregon).naming, key_ref(oregon).region, key_ref(oregon).key) == ("key_arn", "us-west-2", None)
    assert sydney.key is None  # the AWS owned key
    assert stack.where == ("Properties", "Regions", 0, "RegionConfiguration", "SseKmsKeyId")
    assert sydney.where == ("Properties", "Regions", 3)


def test_key_users_list_a_replication_set_once_per_key():
    model = build_model(
        template(
            {
                **KEYS,
                "Set": replication_set(
                    entry({"Ref": "AWS::Region"}, {"Fn::GetAtt": ["Key", "Arn"]}), entry("eu-west-1", {"Ref": "Alias"})
                ),
            }
        )
    )
    assert model.key_users == {f"{KEY}.Key": [SET]}


def test_unresolved_entries_and_guards():
    model: ScanModel = build_model(
        template(
            {
                "Set": replication_set(
                    entry({"Ref": "Region"}, {"Fn::ImportValue": "key-arn"}),
                    {"Fn::If": ["Cond", {"RegionName": "us-east-1"}, {"Ref": "AWS::NoValue"}]},
                    DeletionPolicy="Delete",
                ),
                "Guarded": {
                    "Type": "AWS::SSMIncidents::ReplicationSet",
                    "Properties": {"DeletionProtected": True, "Regions": {"Ref": "Regions"}},
                },
            },
            Parameters={"Region": {"Type": "String"}},
        )
    )
    unresolved = model.replication_sets[SET]
    assert isinstance(unresolved.entries, list)
    imported, conditional = unresolved.entries
    assert isinstance(imported.name, Unknown) and "!Ref Region is not resolved" in imported.name.reason
    assert key_ref(imported).certain is False and isinstance(key_ref(imported).region, Unknown)
    assert isinstance(conditional.name, Unknown) and isinstance(conditional.key, Unknown)
    assert (unresolved.deletion_guard, unresolved.where) == (False, {"deletion_guard": ("DeletionPolicy",)})
    guarded = model.replication_sets["AWS::SSMIncidents::ReplicationSet.Guarded"]
    assert guarded.deletion_guard is True and isinstance(guarded.entries, Unknown)
    assert model.key_users == {}


def test_response_plans_record_their_topics_and_topics_their_users():
    model = build_model(
        template(
            {
                **KEYS,
                "Chat": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": "Key"}}},
                "Pager": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": "alias/aws/sns"}},
                "Unused": {"Type": "AWS::SNS::Topic"},
                "Plan": {
                    "Type": "AWS::SSMIncidents::ResponsePlan",
                    "Properties": {
                        "Name": "payments-degraded",
                        "ChatChannel": {"ChatbotSns": [{"Ref": "Chat"}]},
                        "IncidentTemplate": {
                            "Title": "Payments degraded",
                            "Impact": 2,
                            "NotificationTargets": [
                                {"SnsTopicArn": {"Ref": "Pager"}},
                                {"SnsTopicArn": {"Ref": "Chat"}},
                            ],
                        },
                        "Tags": [{"Key": "Team", "Value": "payments"}],
                    },
                },
            }
        )
    )
    plan = model.im_resources["AWS::SSMIncidents::ResponsePlan.Plan"]
    assert plan.notification_topics == ["AWS::SNS::Topic.Chat", "AWS::SNS::Topic.Pager"]
    assert {name: (topic.kms_master_key_id, topic.used_by) for name, topic in model.topics.items()} == {
        "AWS::SNS::Topic.Chat": ("${Key}", [plan.name]),
        "AWS::SNS::Topic.Pager": ("alias/aws/sns", [plan.name]),
        "AWS::SNS::Topic.Unused": (None, []),
    }
    assert plan.name_fields == {"Name": "payments-degraded", "IncidentTemplate.Title": "Payments degraded"}
    assert plan.where["IncidentTemplate.Title"] == ("Properties", "IncidentTemplate", "Title")
    assert plan.tags == {"Team": "payments"}


def test_a_serverless_file_is_read_through_its_resources_section():
    model = build_model(
        {
            "service": "incidents",
            "custom": {"region": "eu-west-1"},
            "resources": {"Resources": {"Set": replication_set(entry("${self:custom.region}"))}},
        }
    )
    entries = model.replication_sets[SET].entries
    assert isinstance(entries, list) and [(entry_.name, entry_.key) for entry_ in entries] == [("eu-west-1", None)]
    assert build_model({"service": "no-resources"}) == ScanModel()
