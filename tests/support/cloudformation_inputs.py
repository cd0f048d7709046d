"""CloudFormation inputs that are broken, hostile or odd, for the bad-input tests of every engine that reads
templates (Checkov and cfn-lint in tests/cloudformation, the Rego policies in tests/rego).

Each builder returns a template as a JSON-shaped dict (long-form intrinsics), so every engine reads the same one.
"""

from __future__ import annotations

import random

GOOD_KEY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "IncidentManager",
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
            "Action": ["kms:CreateGrant", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {
                "StringLike": {"kms:ViaService": ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]}
            },
        }
    ],
}


def template(resources: dict, parameters: dict | None = None) -> dict:
    document = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    if parameters:
        document["Parameters"] = parameters
    return document


def key(**properties) -> dict:
    return {
        "Type": "AWS::KMS::Key",
        "DeletionPolicy": "Retain",
        "Properties": {"KeyPolicy": GOOD_KEY_POLICY, **properties},
    }


def replication_set(*regions, **extra) -> dict:
    return {
        "Type": "AWS::SSMIncidents::ReplicationSet",
        "DeletionPolicy": "Retain",
        "Properties": {"Regions": list(regions), **extra},
    }


def entry(region, key_id=None) -> dict:
    item = {"RegionName": region}
    if key_id is not None:
        item["RegionConfiguration"] = {"SseKmsKeyId": key_id}
    return item


RSET = "AWS::SSMIncidents::ReplicationSet.Set"
KEY = "AWS::KMS::Key.Key"

# Keys no engine may call resolved: functions the pack does not evaluate, parameters without a default, ...
UNRESOLVABLE_KEY_IDS = [
    {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]},  # functions the pack does not evaluate
    {"Fn::FindInMap": ["Keys", "us-east-1", "Arn"]},
    {"Fn::If": ["UseKey", {"Fn::GetAtt": ["Key", "Arn"]}, {"Ref": "AWS::NoValue"}]},
    {"Fn::ImportValue": "shared-incident-key-arn"},
    {"Fn::Unknown": "x"},  # not a function at all
    {"Ref": "KeyArnWithoutDefault"},
    {"Ref": "NothingOfThatName"},
    {"Fn::GetAtt": "Key"},  # malformed GetAtt
    {"Fn::Sub": ["${A}", {"A": {"Fn::Sub": ["${B}", {"B": {"Ref": "KeyArnWithoutDefault"}}]}}]},
    {"Fn::Join": ["", {"Ref": "KeyArnParts"}]},  # a list known only at deployment
]
UNRESOLVABLE_KEY_PARAMETERS = {
    "KeyArnWithoutDefault": {"Type": "String"},
    "KeyArnParts": {"Type": "CommaDelimitedList"},
}


def unresolvable_key_template(key_id) -> dict:
    """The stack key beside a replication set whose one entry names its key with ``key_id``."""
    document = template(
        {"Key": key(), "Set": replication_set(entry("us-east-1", key_id))}, parameters=UNRESOLVABLE_KEY_PARAMETERS
    )
    if "Fn::If" in key_id:
        document["Conditions"] = {"UseKey": {"Fn::Equals": ["a", "a"]}}
    if "Fn::FindInMap" in key_id:
        document["Mappings"] = {"Keys": {"us-east-1": {"Arn": "arn:aws:kms:us-east-1:111122223333:key/x"}}}
    return document


# Resources of the wrong shape: missing properties, lists for strings, strings for objects, untyped resources.
WRONG_TYPE_RESOURCES = [
    {"Set": {"Type": "AWS::SSMIncidents::ReplicationSet"}},  # no Properties
    {"Key": {"Type": "AWS::KMS::Key"}, "Set": replication_set(entry("us-east-1", {"Fn::GetAtt": ["Key", "Arn"]}))},
    {"Set": replication_set(entry("us-east-1", ["arn:aws:kms:us-east-1:111122223333:key/a"]))},  # list for a string
    {"Set": {"Type": "AWS::SSMIncidents::ReplicationSet", "Properties": {"Regions": "us-east-1"}}},
    {"Set": {"Type": "AWS::SSMIncidents::ReplicationSet", "Properties": {"Regions": ["us-east-1", 7, None]}}},
    {"Set": replication_set({"RegionName": ["us-east-1"], "RegionConfiguration": ["x"]})},
    {
        "Key": key(KeyPolicy=["not", "a", "policy"], KeySpec=["RSA_2048"], Enabled={"nested": "dict"}),
        "Set": replication_set(entry("us-east-1", {"Fn::GetAtt": ["Key", "Arn"]})),
    },
    {
        "Key": key(KeyPolicy={"Statement": "nonsense"}, Tags={"Key": "a@b.example"}, Description=12),
        "Set": replication_set(entry("us-east-1", {"Fn::GetAtt": ["Key", "Arn"]})),
    },
    {"Key": key(KeyPolicy="{not json"), "Set": replication_set(entry("us-east-1", {"Fn::GetAtt": ["Key", "Arn"]}))},
    {
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": ["x"]}},
        "Plan": {
            "Type": "AWS::SSMIncidents::ResponsePlan",
            "Properties": {
                "Name": "p",
                "ChatChannel": {"ChatbotSns": {"Ref": "Topic"}},
                "IncidentTemplate": "not a dict",
            },
        },
    },
    # (A resource whose Type is a list makes Checkov 3.3.30 itself raise before any check runs: the random
    # template test below gives the pack such types.)
    {"Untyped": {"Properties": {}}, "NotAResource": "string resource"},
]
NOT_A_POLICY = [["not", "a", "policy"], "{not json", {"Fn::If": ["C", {}, {}]}]


def circular_references() -> dict:
    """Aliases that target each other, replica keys that are each other's primary, a DependsOn loop."""
    return template(
        {
            "AliasA": {
                "Type": "AWS::KMS::Alias",
                "Properties": {"AliasName": "alias/a", "TargetKeyId": {"Ref": "AliasB"}},
            },
            "AliasB": {
                "Type": "AWS::KMS::Alias",
                "Properties": {"AliasName": "alias/b", "TargetKeyId": {"Ref": "AliasA"}},
            },
            "ReplicaA": {
                "Type": "AWS::KMS::ReplicaKey",
                "DependsOn": "ReplicaB",
                "Properties": {"KeyPolicy": GOOD_KEY_POLICY, "PrimaryKeyArn": {"Fn::GetAtt": ["ReplicaB", "Arn"]}},
            },
            "ReplicaB": {
                "Type": "AWS::KMS::ReplicaKey",
                "DependsOn": "ReplicaA",
                "Properties": {"KeyPolicy": GOOD_KEY_POLICY, "PrimaryKeyArn": {"Fn::GetAtt": ["ReplicaA", "Arn"]}},
            },
            "Set": replication_set(
                entry({"Ref": "AWS::Region"}, {"Fn::GetAtt": ["ReplicaA", "Arn"]}),
                entry("eu-west-1", {"Ref": "AliasA"}),
            ),
        }
    )


def deep_sub(levels: int = 200) -> dict | str:
    """A Fn::Sub whose variable is a Fn::Sub whose variable is ... ``levels`` deep."""
    deep: dict | str = "x"
    for _ in range(levels):
        deep = {"Fn::Sub": ["${A}", {"A": deep}]}
    return deep


def huge_template(topics: int = 1000, padding: int = 5000) -> dict:
    """The stack key serving two Regions (CKV_IM_3 fails) among ``topics`` padded SNS topics (5 MB as JSON)."""
    resources = {
        "Key": key(),
        "Set": replication_set(
            entry({"Ref": "AWS::Region"}, {"Fn::GetAtt": ["Key", "Arn"]}),
            entry("eu-west-1", {"Fn::GetAtt": ["Key", "Arn"]}),
        ),
    }
    for number in range(topics):
        resources[f"Topic{number}"] = {
            "Type": "AWS::SNS::Topic",
            "Properties": {"DisplayName": f"t{number}", "Tags": [{"Key": "pad", "Value": "x" * padding}]},
        }
    return template(resources)


SCALARS = [
    "",
    "x",
    "true",
    "false",
    True,
    False,
    0,
    7,
    None,
    "*",
    "us-east-1",
    "AWS::Region",
    "alias/a",
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "mrk-" + "0" * 32,
    "${AWS::Region}",
    "${Key.Arn}",
    "jane@example.com",
    "+12065550100",
    "https://u:p@h/?token=t",
    "Retain",
]
FUNCTIONS = ["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::ImportValue", "Fn::Select", "Fn::Nope"]
KEYS = [
    "Regions",
    "RegionName",
    "RegionConfiguration",
    "SseKmsKeyId",
    "KeyPolicy",
    "Statement",
    "Effect",
    "Action",
    "Principal",
    "Condition",
    "StringLike",
    "kms:ViaService",
    "Tags",
    "Key",
    "Value",
    "KeySpec",
    "Enabled",
    "PrimaryKeyArn",
    "TargetKeyId",
    "ChatChannel",
    "ChatbotSns",
    "IncidentTemplate",
    "Title",
    "KmsMasterKeyId",
    "DeletionProtected",
    "__startline__",
]
TYPES = [
    "AWS::KMS::Key",
    "AWS::KMS::ReplicaKey",
    "AWS::KMS::Alias",
    "AWS::SSMIncidents::ReplicationSet",
    "AWS::SSMIncidents::ResponsePlan",
    "AWS::SSMContacts::Contact",
    "AWS::SNS::Topic",
]
LOGICAL_IDS = ["Key", "Replica", "Alias", "Set", "Plan", "Contact", "Topic"]


def random_value(rng: random.Random, depth: int = 0):
    kind = rng.random()
    if depth > 5 or kind < 0.4:
        return rng.choice(SCALARS)
    if kind < 0.6:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind < 0.8:
        function = rng.choice(FUNCTIONS)
        argument = rng.choice(
            [
                rng.choice([*LOGICAL_IDS, "AWS::Region", "AWS::NoValue", "Param"]),
                [rng.choice(LOGICAL_IDS), "Arn"],
                random_value(rng, depth + 1),
            ]
        )
        return {function: argument}
    return {rng.choice(KEYS): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def random_template(seed: int) -> dict:
    """A template of random resources of the types the pack reads, with random properties and intrinsics."""
    rng = random.Random(seed)
    resources = {}
    for logical_id in rng.sample(LOGICAL_IDS, rng.randint(1, len(LOGICAL_IDS))):
        resource = {"Type": rng.choice(TYPES), "Properties": random_value(rng)}
        if rng.random() < 0.3:
            resource["DeletionPolicy"] = random_value(rng)
        resources[logical_id] = resource
    return {
        "Parameters": {"Param": rng.choice([{"Type": "String"}, {"Default": random_value(rng)}, "junk"])},
        "Resources": resources,
    }
