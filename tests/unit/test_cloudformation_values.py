"""Static evaluation of CloudFormation intrinsics, and how a Region entry's key reference is read."""

from __future__ import annotations

import pytest

from ckv_im.cloudformation_model import build_model
from ckv_im.cloudformation_values import ResourceToken, TemplateValues, UnknownToken, line_of, shown
from ckv_im.model import STACK_REGION, STACK_REGION_TEXT, KeyRef, UnknownTemplate, is_unknown

TEMPLATE = {
    "Parameters": {
        "Env": {"Type": "String", "Default": "prod"},
        "Retries": {"Type": "Number", "Default": 3},
        "Flag": {"Type": "String", "Default": True},
        "Regions": {"Type": "CommaDelimitedList", "Default": ["us-east-1", "eu-west-1"]},
        "NoDefault": {"Type": "String"},
    },
    "Resources": {
        "Key": {"Type": "AWS::KMS::Key", "Properties": {}},
        "Alias": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/im", "TargetKeyId": {"Ref": "Key"}}},
        "Topic": {"Type": "AWS::SNS::Topic"},
    },
}
VALUES = TemplateValues(TEMPLATE)


@pytest.mark.parametrize(
    "node, expected",
    [
        ("plain", "plain"),
        ({"Ref": "Env"}, "prod"),
        ({"Ref": "Retries"}, "3"),
        ({"Ref": "Flag"}, "true"),
        ({"Ref": "Regions"}, "us-east-1,eu-west-1"),
        ({"Ref": "AWS::Region"}, STACK_REGION_TEXT),
        ({"Fn::Sub": "ssm-incidents.${AWS::Region}.amazonaws.com"}, f"ssm-incidents.{STACK_REGION_TEXT}.amazonaws.com"),
        ({"Fn::Sub": "${Env}-incidents"}, "prod-incidents"),
        ({"Fn::Sub": ["${Stage}-x", {"Stage": {"Ref": "Env"}}]}, "prod-x"),
        ({"Fn::Sub": "${!Literal} stays"}, "${Literal} stays"),
        ({"Fn::Join": ["-", ["a", {"Ref": "Env"}, "b"]]}, "a-prod-b"),
        ({"Fn::Join": ["", []]}, ""),
        ({"Tags": [{"Key": "k", "Value": {"Ref": "AWS::NoValue"}}]}, {"Tags": [{"Key": "k"}]}),
        ([1, {"Ref": "AWS::NoValue"}, "x"], [1, "x"]),
    ],
)
def test_values_known_before_deployment_are_resolved(node, expected):
    assert VALUES.value(node) == expected


@pytest.mark.parametrize(
    "node, reason_part",
    [
        ({"Ref": "NoDefault"}, "no Default"),
        ({"Fn::ImportValue": "shared"}, "another stack"),
        ({"Fn::If": ["C", "a", "b"]}, "condition"),
        ({"Fn::GetAZs": ""}, "not evaluated"),
        ({"Fn::Select": [{"Ref": "NoDefault"}, ["a"]]}, "known only at deployment"),  # literal ones are evaluated
        ({"Fn::Join": ["", {"Ref": "Regions"}]}, "known only at deployment"),
        ({"Ref": "Missing"}, "names nothing"),
    ],
)
def test_values_known_only_at_deployment_are_unknown(node, reason_part):
    value = VALUES.value(node)
    assert is_unknown(value)
    assert reason_part in value.reason


@pytest.mark.parametrize(
    "node, text",
    [
        ({"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}, "arn:aws:iam::${AWS::AccountId}:root"),
        ({"Fn::Sub": "${NoDefault}-x"}, "${NoDefault}-x"),
        ({"Fn::Sub": "${AWS::AccountId}"}, "${AWS::AccountId}"),  # a string, just not known yet
        ({"Ref": "Topic"}, "${Topic}"),
        ({"Fn::GetAtt": ["Key", "Arn"]}, "arn:${Key.Arn}"),  # an ARN: never the wildcard "*"
    ],
)
def test_partly_known_strings_keep_their_literal_text(node, text):
    value = VALUES.value(node)
    assert isinstance(value, UnknownTemplate) and value.text == text


def test_get_att_takes_both_forms_and_sub_names_attributes():
    assert VALUES.parts({"Fn::GetAtt": "Key.Arn"}) == [ResourceToken("Key", "Arn")]
    assert VALUES.parts({"Fn::GetAtt": ["Key", "Arn"]}) == [ResourceToken("Key", "Arn")]
    parts = VALUES.parts({"Fn::Sub": "x/${Key.KeyId}/${AWS::AccountId}"})
    assert parts[:2] == ["x/", ResourceToken("Key", "KeyId")]
    assert isinstance(parts[-1], UnknownToken)


SERVERLESS_FILE = {
    "custom": {
        "team": "checkout",
        "mailbox": "${self:custom.team}-oncall",
        "stage": "${opt:stage, 'dev'}",
        "keyArn": "${ssm:/checkout/key-arn}",
        "retries": 3,
    }
}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("${self:custom.mailbox}@example.com", "checkout-oncall@example.com"),  # resolved through two variables
        ("retries-${self:custom.retries}", "retries-3"),
        ("no variables", "no variables"),
    ],
)
def test_serverless_self_variables_are_resolved_from_the_file(text, expected):
    assert TemplateValues(TEMPLATE, serverless_file=SERVERLESS_FILE).value(text) == expected


@pytest.mark.parametrize(
    "text, remaining",
    [
        ("chat-${self:custom.stage}", "chat-${opt:stage, 'dev'}"),  # a default applies only at deployment
        ("${self:custom.keyArn}", "${ssm:/checkout/key-arn}"),
        ("${self:custom.${opt:stage}}", "${self:custom.${opt:stage}}"),
        ("${self:custom.missing}", "${self:custom.missing}"),
        ("${aws:region}", "${aws:region}"),
    ],
)
def test_serverless_variables_known_only_at_deployment_stay_unresolved(text, remaining):
    value = TemplateValues(TEMPLATE, serverless_file=SERVERLESS_FILE).value(text)
    assert isinstance(value, UnknownTemplate) and value.text == remaining


def test_serverless_variables_referring_to_themselves_end():
    looping = {"custom": {"a": "${self:custom.b}", "b": "${self:custom.a}"}}
    assert isinstance(TemplateValues(TEMPLATE, serverless_file=looping).value("${self:custom.a}"), UnknownTemplate)


def test_deep_nesting_ends_in_unknown():
    node = "x"
    for _ in range(200):
        node = {"Fn::Sub": ["${A}", {"A": node}]}
    assert is_unknown(VALUES.value(node))


def test_lines_and_short_forms_for_details():
    class Node(dict):
        class start_mark:
            line = 41

    assert line_of({"__startline__": 7}) == 7
    assert line_of(Node()) == 42
    assert line_of("plain") is None
    assert shown({"Fn::GetAtt": ["Key", "Arn"]}) == "!GetAtt Key.Arn"
    assert shown({"Ref": "Key"}) == "!Ref Key"
    assert shown({"Fn::Sub": ["${A}", {}]}) == "!Sub ${A}"


def key_ref(node) -> KeyRef:
    template = {
        "Parameters": TEMPLATE["Parameters"],
        "Resources": dict(
            TEMPLATE["Resources"],
            Set={
                "Type": "AWS::SSMIncidents::ReplicationSet",
                "Properties": {"Regions": [{"RegionName": "us-east-1", "RegionConfiguration": {"SseKmsKeyId": node}}]},
            },
        ),
    }
    return build_model(template).replication_sets["AWS::SSMIncidents::ReplicationSet.Set"].entries[0].key


@pytest.mark.parametrize(
    "node, naming, region, key",
    [
        ({"Fn::GetAtt": ["Key", "Arn"]}, "key_arn", STACK_REGION, "Key"),
        ({"Ref": "Key"}, "key_id", STACK_REGION, "Key"),
        ({"Fn::GetAtt": ["Key", "KeyId"]}, "key_id", STACK_REGION, "Key"),
        ({"Ref": "Alias"}, "alias_name", STACK_REGION, "Key"),
        (
            {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}"},
            "key_arn",
            STACK_REGION,
            "Key",
        ),
        ({"Fn::Sub": "arn:aws:kms:eu-west-1:111122223333:key/${Key}"}, "key_arn", "eu-west-1", "Key"),
        (
            {
                "Fn::Join": [
                    ":",
                    [
                        "arn",
                        {"Ref": "AWS::Partition"},
                        "kms",
                        {"Ref": "AWS::Region"},
                        {"Ref": "AWS::AccountId"},
                        {"Fn::Join": ["/", ["key", {"Ref": "Key"}]]},
                    ],
                ]
            },
            "key_arn",
            STACK_REGION,
            "Key",
        ),
        ({"Fn::Sub": "arn:aws:kms:us-east-1:111122223333:alias/${Env}"}, "alias_arn", "us-east-1", None),
        ("arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "key_arn", "us-west-2", None),
        ("alias/incident-manager", "alias_name", None, None),
        ({"Fn::Sub": "alias/${Env}"}, "alias_name", None, None),
        ("mrk-1234abcd12ab34cd56ef1234567890ab", "key_id", None, None),
    ],
)
def test_how_an_entry_names_its_key(node, naming, region, key):
    ref = key_ref(node)
    assert ref.naming == naming
    if region is None:
        assert is_unknown(ref.region)
    else:
        assert ref.region == region or ref.region is region
    assert (ref.key.name if ref.key else None) == (f"AWS::KMS::Key.{key}" if key else None)


@pytest.mark.parametrize(
    "node, certain",
    [
        ({"Fn::ImportValue": "shared-key-arn"}, False),  # could be "DefaultKey", the AWS owned key
        ({"Ref": "NoDefault"}, False),
    ],
)
def test_keys_known_only_at_deployment(node, certain):
    ref = key_ref(node)
    assert is_unknown(ref.naming) and is_unknown(ref.region)
    assert ref.certain is certain


def test_the_aws_owned_key_and_a_conditional_key():
    assert key_ref("DefaultKey") is None
    assert key_ref({"Ref": "AWS::NoValue"}) is None
    assert is_unknown(key_ref({"Fn::If": ["C", {"Fn::GetAtt": ["Key", "Arn"]}, {"Ref": "AWS::NoValue"}]}))


def test_values_read_at_deployment_from_ssm_or_secrets_manager_are_unknown():
    values = TemplateValues(
        {
            "Parameters": {
                "KeyArn": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/incident-manager/key-arn"}
            }
        }
    )
    assert is_unknown(values.value({"Ref": "KeyArn"}))  # the Default names the SSM parameter, not the value
    dynamic = VALUES.value("{{resolve:ssm:/incident-manager/key-arn}}")
    assert isinstance(dynamic, UnknownTemplate) and dynamic.text == "${resolve:ssm:/incident-manager/key-arn}"
    ref = key_ref("{{resolve:secretsmanager:incident-key:SecretString:arn}}")
    assert is_unknown(ref.naming) and not ref.certain


def test_only_a_substituted_aws_region_is_the_stack_region():
    """A plain "${AWS::Region}" without !Sub is literal text in AWS: it never matches a Region."""
    from ckv_im import rules

    def grant(via_service):
        account_root = {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}
        return {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": account_root},
                    "Action": ["kms:CreateGrant", "kms:DescribeKey"],
                    "Resource": "*",
                    "Condition": {"StringEquals": {"kms:ViaService": via_service}},
                }
            ]
        }

    def verdict(via_service):
        model = build_model(
            {"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": grant(via_service)}}}}
        )
        key = model.keys["AWS::KMS::Key.Key"]
        return rules.required_key_policy_statement(key, model).status.value

    substituted = [
        {"Fn::Sub": f"{service}.${{AWS::Region}}.amazonaws.com"} for service in ("ssm-incidents", "ssm-contacts")
    ]
    assert verdict(substituted) == "PASSED"
    assert (
        verdict([f"{service}.${{AWS::Region}}.amazonaws.com" for service in ("ssm-incidents", "ssm-contacts")])
        == "FAILED"
    )
