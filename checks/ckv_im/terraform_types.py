"""Terraform resource types and key naming, shared by the HCL and plan adapters and the Checkov shell."""

from __future__ import annotations

from typing import Any

from ckv_im.arns import classify_key_identifier
from ckv_im.model import KeyRef, Resolved, Subject, Unknown, Value
from ckv_im.rendered_values import dig

KEY_TYPES = ("aws_kms_key", "aws_kms_external_key", "aws_kms_replica_key", "aws_kms_replica_external_key")
REPLICA_TYPES = ("aws_kms_replica_key", "aws_kms_replica_external_key")
EXTERNAL_KEY_TYPES = ("aws_kms_external_key", "aws_kms_replica_external_key")  # imported key material
KMS_ALIAS = "aws_kms_alias"
KMS_KEY_POLICY = "aws_kms_key_policy"
REPLICATION_SET = "aws_ssmincidents_replication_set"
RESPONSE_PLAN = "aws_ssmincidents_response_plan"
IM_PREFIXES = ("aws_ssmincidents_", "aws_ssmcontacts_")
IM_RESOURCE_PATTERNS = tuple(f"{prefix}*" for prefix in IM_PREFIXES)  # Checkov matches these as wildcards
SNS_TOPIC = "aws_sns_topic"
# The resource types each subject of a rule covers, for the Checkov shell.
RESOURCE_TYPES: dict[Subject, tuple[str, ...]] = {
    Subject.KEY: KEY_TYPES,
    Subject.REPLICATION_SET: (REPLICATION_SET,),
    Subject.IM_RESOURCE: IM_RESOURCE_PATTERNS,
    Subject.IM_RESOURCE_OR_KEY: (*KEY_TYPES, *IM_RESOURCE_PATTERNS),
    Subject.TOPIC: (SNS_TOPIC,),
}

# Name-like fields per Incident Manager resource type (CKV_IM_10, docs/rules/CKV_IM_10.md); tags are always read.
NAME_FIELDS = {
    RESPONSE_PLAN: (
        "name",
        "display_name",
        "incident_template.title",
        "incident_template.summary",
        "incident_template.dedupe_string",
        "incident_template.incident_tags",
    ),
    "aws_ssmcontacts_contact": ("alias", "display_name"),
    "aws_ssmcontacts_contact_channel": ("name",),
    "aws_ssmcontacts_rotation": ("name",),
}
# The attributes of data "aws_region" that are the Region: name and id (provider v5), region (v6).
REGION_ATTRIBUTES = ("name", "id", "region")


def name_fields_of(resource_type: str, config: Value) -> dict[str, Value]:
    """The name-like fields a resource of this type sets, by their path (``incident_template.title``)."""
    return {path: value for path in NAME_FIELDS.get(resource_type, ()) if (value := dig(config, path)) is not None}


def key_ref_from_literal(value: str) -> KeyRef:
    naming, region = classify_key_identifier(value)
    return KeyRef(value, naming, region=region)


_KEY_NAMING = {"arn": "key_arn", "id": "key_id", "key_id": "key_id"}
_ALIAS_NAMING = {
    "target_key_arn": "key_arn",
    "arn": "alias_arn",
    "name": "alias_name",
    "id": "alias_name",
    "target_key_id": "key_id",
}


def naming_of(resource_type: str, attribute: str, text: str) -> Resolved[str]:
    """How ``<type>.<name>.<attribute>`` names a key (CKV_IM_14): key_arn, key_id, alias_arn or alias_name."""
    table: dict[str, Any] = (
        _KEY_NAMING if resource_type in KEY_TYPES else _ALIAS_NAMING if resource_type == KMS_ALIAS else {}
    )
    return table.get(attribute, Unknown(f"{text} is not a KMS key or alias attribute"))
