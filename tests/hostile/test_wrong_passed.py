"""Inputs an adversarial review found judged PASSED without the evidence for it
(docs/semantics.md#how-a-verdict-is-reached)."""

from __future__ import annotations

import pytest

from ckv_im.catalogue import RULES
from ckv_im.cloudformation_model import build_model
from ckv_im.model import Status
from support.checkov_scan import scan_source

MAPPINGS = {"Settings": {"prod": {"spec": "RSA_2048", "owner": "jane.doe@example.com"}}}


def cloudformation_verdict(rule_id: str, resources: dict, name: str) -> Status:
    model = build_model({"Mappings": MAPPINGS, "Resources": resources})
    subjects = {**model.keys, **model.replication_sets, **model.im_resources}
    return RULES[rule_id].function(subjects[name], model).status


RESPONSE_PLAN = "AWS::SSMIncidents::ResponsePlan.Plan"


@pytest.mark.parametrize(
    "rule_id, properties",
    [
        ("CKV_IM_10", {"IncidentTemplate": {"Title": {"Fn::FindInMap": ["Settings", "prod", "owner"]}, "Impact": 3}}),
        (
            "CKV_IM_10",
            {"IncidentTemplate": {"Title": {"Fn::Select": [1, ["db", "call jane.doe@example.com"]]}, "Impact": 3}},
        ),
        ("CKV_IM_11", {"Tags": [{"Key": "hook", "Value": {"Fn::Select": ["0", ["https://u:pw@hooks.example.com"]]}}]}),
    ],
    ids=["FindInMap e-mail", "Select e-mail", "Select URL password"],
)
def test_select_and_find_in_map_are_evaluated(rule_id, properties):
    plan = {"Type": "AWS::SSMIncidents::ResponsePlan", "Properties": {"Name": "db", **properties}}
    assert cloudformation_verdict(rule_id, {"Plan": plan}, RESPONSE_PLAN) is Status.FAILED


def test_a_key_spec_from_find_in_map_is_evaluated():
    key = {"Type": "AWS::KMS::Key", "Properties": {"KeySpec": {"Fn::FindInMap": ["Settings", "prod", "spec"]}}}
    replication_set = {
        "Type": "AWS::SSMIncidents::ReplicationSet",
        "Properties": {
            "Regions": [{"RegionName": "us-east-1", "RegionConfiguration": {"SseKmsKeyId": {"Fn::GetAtt": "Key.Arn"}}}]
        },
    }
    resources = {"Key": key, "Set": replication_set}
    assert cloudformation_verdict("CKV_IM_1", resources, "AWS::KMS::Key.Key") is Status.FAILED


def test_an_unresolvable_select_is_unknown_not_passed():
    key = {
        "Type": "AWS::KMS::Key",
        "Properties": {"KeySpec": {"Fn::Select": [{"Ref": "Index"}, ["SYMMETRIC_DEFAULT", "RSA_2048"]]}},
    }
    replication_set = {
        "Type": "AWS::SSMIncidents::ReplicationSet",
        "Properties": {
            "Regions": [{"RegionName": "us-east-1", "RegionConfiguration": {"SseKmsKeyId": {"Fn::GetAtt": "Key.Arn"}}}]
        },
    }
    resources = {"Key": key, "Set": replication_set}
    assert cloudformation_verdict("CKV_IM_1", resources, "AWS::KMS::Key.Key") is Status.UNKNOWN


KEY = """
resource "aws_kms_key" "k" {
  description = "incident data"
}
"""


@pytest.mark.parametrize(
    "expression",
    [
        'try(aws_kms_key.k.arn, "arn:aws:kms:us-east-1:111122223333:key/x")',
        'coalesce(aws_kms_key.k.arn, "arn:aws:kms:us-east-1:111122223333:key/x")',
        'format("%s", aws_kms_key.k.arn)',
        "[aws_kms_key.k.arn][0]",
        "element([aws_kms_key.k.arn], 0)",
        'true ? aws_kms_key.k.arn : "arn:aws:kms:us-east-1:111122223333:key/x"',
    ],
)
def test_a_key_reference_inside_a_function_is_never_read_as_a_literal(tmp_path, expression):
    source = (
        KEY
        + f"""
resource "aws_ssmincidents_replication_set" "rs" {{
  region {{
    name        = "us-east-1"
    kms_key_arn = {expression}
  }}
}}
"""
    )
    verdicts = scan_source(tmp_path, source)
    for rule_id in ("CKV_IM_4", "CKV_IM_13", "CKV_IM_14"):
        assert verdicts.get((rule_id, "aws_ssmincidents_replication_set.rs")) != "PASSED", rule_id
