"""KMS keys of a CloudFormation template: every key defined there lives in the stack Region."""

from __future__ import annotations

import json
from typing import Any

from ckv_im.cloudformation_properties import PropertyReader
from ckv_im.cloudformation_types import KEY, at_path
from ckv_im.cloudformation_values import ResourceToken, TemplateValues, shown
from ckv_im.model import STACK_REGION, KmsKey, PolicyDocument, Resolved, Unknown, Where, is_unknown

# model field -> the property that sets it
_KEY_PROPERTIES = (
    ("key_spec", "KeySpec"),
    ("key_usage", "KeyUsage"),
    ("origin", "Origin"),
    ("policy", "KeyPolicy"),
    ("enabled", "Enabled"),
    ("description", "Description"),
    ("primary", "PrimaryKeyArn"),
    ("tags", "Tags"),
)


class KeyReader:
    def __init__(self, values: TemplateValues, properties: PropertyReader) -> None:
        self.values = values
        self.properties = properties

    def key(self, logical_id: str, resource: dict[str, Any], kind: str) -> KmsKey:
        properties = at_path(resource, "Properties")
        read = self.properties
        key = KmsKey(
            name=f"{kind}.{logical_id}",
            resource_type=kind,
            region=STACK_REGION,
            deletion_guard_hint="set DeletionPolicy: Retain (and UpdateReplacePolicy: Retain)",
        )
        key.where = _where(resource, properties)
        if kind == KEY:
            key.key_spec = read.text(at_path(properties, "KeySpec"), "SYMMETRIC_DEFAULT")
            key.key_usage = read.text(at_path(properties, "KeyUsage"), "ENCRYPT_DECRYPT")
            key.origin = read.text(at_path(properties, "Origin"), "AWS_KMS")
        key.policy, key.policy_source = self._policy(at_path(properties, "KeyPolicy")), "KeyPolicy"
        key.enabled = read.flag(at_path(properties, "Enabled"), default=True)
        key.deletion_guard = read.retained(resource)
        key.description = self.values.value(at_path(properties, "Description"))
        key.tags = read.tags(at_path(properties, "Tags"))
        return key

    def link_primary(self, replica: KmsKey, resource: dict[str, Any], keys_by_id: dict[str, KmsKey]) -> None:
        """A replica key takes its spec and origin from its primary (PrimaryKeyArn)."""
        node = at_path(resource, "Properties", "PrimaryKeyArn")
        parts = self.values.parts(node) if node is not None else Unknown("PrimaryKeyArn is not set")
        primary: KmsKey | Unknown = Unknown(f"primary key {shown(node)} is not a key of this template")
        if isinstance(parts, Unknown):
            primary = parts
        elif len(parts) == 1 and isinstance(parts[0], ResourceToken) and parts[0].attribute == "Arn":
            target = keys_by_id.get(parts[0].logical_id)
            if target is not None and target.resource_type == KEY:
                primary = target
        replica.primary = primary
        if isinstance(primary, Unknown):
            # One AWS::KMS::ReplicaKey type serves AWS_KMS and EXTERNAL primaries alike: the origin is the primary's.
            replica.origin = Unknown(f"the key material origin is the primary's ({primary.reason})")

    def _policy(self, node: Any) -> Resolved[PolicyDocument | None]:
        if node is None:
            return None  # the AWS default key policy
        policy = self.values.value(node)
        if isinstance(policy, str):
            try:
                policy = json.loads(policy)
            except ValueError:
                return Unknown("KeyPolicy is a string that is not valid JSON")
        if isinstance(policy, dict) or is_unknown(policy):
            return policy
        return Unknown(f"KeyPolicy is a {type(policy).__name__}, not a policy document")


def _where(resource: dict[str, Any], properties: Any) -> dict[str, Where]:
    """Where each key field is written, for the fields the template sets."""
    present: dict[str, Where] = {
        field: ("Properties", prop) for field, prop in _KEY_PROPERTIES if at_path(properties, prop) is not None
    }
    if at_path(resource, "DeletionPolicy") is not None:
        present["deletion_guard"] = ("DeletionPolicy",)
    return present
