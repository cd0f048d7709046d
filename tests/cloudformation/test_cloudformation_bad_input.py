"""Bad CloudFormation input never makes a check or a cfn-lint rule raise, and never turns into a guessed PASSED.

Checkov drops the result of a check that raises; cfn-lint turns it into an E0002
error. The shells catch everything as a last resort (ckv_im.engine_shell), so these
tests also call the model builder and the rule functions without that net, and
assert that the net was never used.
"""

from __future__ import annotations

import json
import random
import textwrap

import pytest

from ckv_im import engine_shell
from ckv_im.catalogue import Engine, rules_for
from ckv_im.cloudformation_model import build_model
from support.cfn_lint_scan import CFN_LINT_RULES_DIR, CKV_IM_OF_LINT_ID, cfn_lint_verdicts, lint
from support.checkov_scan import checkov_verdicts, scan_cloudformation

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


def scan_both(tmp_path, document: dict | str, name: str = "template.yaml") -> tuple[dict, dict]:
    """(Checkov verdicts, cfn-lint verdicts) of one template; neither engine may reach the safety net."""
    root = tmp_path / "scan"
    root.mkdir(parents=True, exist_ok=True)
    path = root / name
    path.write_text(document if isinstance(document, str) else json.dumps(document, indent=1))
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    checkov = checkov_verdicts(scan_cloudformation(root))
    # E0002: a rule raised inside cfn-lint (cfn-lint's own rules may, on junk; the pack's may not)
    lint_errors = [m for m in lint(path) if m.rule.id == "E0002" and any(i in m.message for i in CKV_IM_OF_LINT_ID)]
    cfn_lint = cfn_lint_verdicts(path)
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
    assert lint_errors == []
    return checkov, cfn_lint


RSET = "AWS::SSMIncidents::ReplicationSet.Set"
KEY = "AWS::KMS::Key.Key"


@pytest.mark.parametrize(
    "key_id",
    [
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
    ],
)
def test_unresolvable_keys_are_never_passed(tmp_path, key_id):
    document = template(
        {"Key": key(), "Set": replication_set(entry("us-east-1", key_id))},
        parameters={"KeyArnWithoutDefault": {"Type": "String"}, "KeyArnParts": {"Type": "CommaDelimitedList"}},
    )
    if "Fn::If" in key_id:
        document["Conditions"] = {"UseKey": {"Fn::Equals": ["a", "a"]}}
    if "Fn::FindInMap" in key_id:
        document["Mappings"] = {"Keys": {"us-east-1": {"Arn": "arn:aws:kms:us-east-1:111122223333:key/x"}}}
    checkov, _ = scan_both(tmp_path, document)
    for rule_id in ("CKV_IM_3", "CKV_IM_14"):
        assert checkov.get((rule_id, RSET)) != "PASSED"


@pytest.mark.parametrize(
    "resources",
    [
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
    ],
)
def test_wrong_types_and_missing_properties_give_a_clear_result_or_unknown(tmp_path, resources):
    checkov, cfn_lint = scan_both(tmp_path, template(resources))
    checkov_failures = {key for key, verdict in checkov.items() if verdict == "FAILED"}
    assert set(cfn_lint) <= checkov_failures


def test_a_key_policy_that_is_not_a_policy_is_never_passed(tmp_path):
    for number, policy in enumerate((["not", "a", "policy"], "{not json", {"Fn::If": ["C", {}, {}]})):
        document = template(
            {"Key": key(KeyPolicy=policy), "Set": replication_set(entry("us-east-1", {"Fn::GetAtt": ["Key", "Arn"]}))}
        )
        checkov, _ = scan_both(tmp_path / str(number), document)
        assert checkov.get(("CKV_IM_7", KEY)) != "PASSED" and checkov.get(("CKV_IM_8", KEY)) != "PASSED"


def test_circular_references_end(tmp_path):
    """Aliases that target each other, replica keys that are each other's primary, a DependsOn loop."""
    document = template(
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
    checkov, _ = scan_both(tmp_path, document)
    assert ("CKV_IM_1", "AWS::KMS::ReplicaKey.ReplicaA") not in checkov  # UNKNOWN: its primary is no primary key
    assert checkov[("CKV_IM_14", RSET)] == "FAILED"  # !Ref of an alias is its name


def test_yaml_alias_loops_and_deep_nesting_end(tmp_path):
    deep = "x"
    for _ in range(200):
        deep = {"Fn::Sub": ["${A}", {"A": deep}]}
    document = textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Key:
            Type: AWS::KMS::Key
            Properties:
              Tags: &loop
                - Key: owner
                  Value: *loop
              KeyPolicy: {}
          Set:
            Type: AWS::SSMIncidents::ReplicationSet
            Properties:
              Regions:
                - RegionName: us-east-1
                  RegionConfiguration:
                    SseKmsKeyId: DEEP
        """).replace("DEEP", json.dumps(deep))
    checkov, _ = scan_both(tmp_path, document)
    assert checkov.get(("CKV_IM_3", RSET)) != "PASSED"


def test_a_five_megabyte_template_is_judged_whole(tmp_path):
    resources = {
        "Key": key(),
        "Set": replication_set(
            entry({"Ref": "AWS::Region"}, {"Fn::GetAtt": ["Key", "Arn"]}),
            entry("eu-west-1", {"Fn::GetAtt": ["Key", "Arn"]}),
        ),
    }
    padding = "x" * 5000
    for number in range(1000):
        resources[f"Topic{number}"] = {
            "Type": "AWS::SNS::Topic",
            "Properties": {"DisplayName": f"t{number}", "Tags": [{"Key": "pad", "Value": padding}]},
        }
    document = json.dumps(template(resources), indent=1)  # one line per value, as real templates have
    assert len(document) > 5_000_000
    root = tmp_path / "scan"
    root.mkdir()
    (root / "template.json").write_text(document)
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    verdicts = checkov_verdicts(scan_cloudformation(root))
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
    assert verdicts[("CKV_IM_3", RSET)] == "FAILED"  # two Regions, one stack key
    assert verdicts[("CKV_IM_7", KEY)] == "PASSED"


# -- random templates, straight into the model and the rules (no safety net) --------------------------
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


@pytest.mark.parametrize("seed", range(300))
def test_random_templates_never_raise(seed):
    rng = random.Random(seed)
    resources = {}
    for logical_id in rng.sample(LOGICAL_IDS, rng.randint(1, len(LOGICAL_IDS))):
        resource = {"Type": rng.choice(TYPES), "Properties": random_value(rng)}
        if rng.random() < 0.3:
            resource["DeletionPolicy"] = random_value(rng)
        resources[logical_id] = resource
    document = {
        "Parameters": {"Param": rng.choice([{"Type": "String"}, {"Default": random_value(rng)}, "junk"])},
        "Resources": resources,
    }
    model = build_model(document)
    for rule in rules_for(Engine.CLOUDFORMATION):
        for name in model.names_of(rule.subject):
            result = rule.function(model.subject(rule.subject, name), model)
            assert result.status.value in ("PASSED", "FAILED", "UNKNOWN")


def test_cfn_lint_loads_exactly_one_rule_per_cloudformation_rule():
    """cfn-lint instantiates every CloudFormationLintRule subclass it finds in the rule files: the shared base
    class must not be one of them, and no CKV_IM rule may be missing."""
    from cfnlint.helpers import load_plugins

    loaded = sorted(rule.id for rule in load_plugins(str(CFN_LINT_RULES_DIR)))
    assert loaded == sorted(CKV_IM_OF_LINT_ID)
