"""Replication sets of a CloudFormation template, and how each Region entry names its key.

Paths recorded in ``where`` are relative to the resource, so that cfn-lint can point at
the offending property.
"""

from __future__ import annotations

from typing import Any

from ckv_im.arns import classify_key_identifier
from ckv_im.cloudformation_properties import PropertyReader
from ckv_im.cloudformation_types import ALIAS, OWNED_KEY, REPLICATION_SET, at_path
from ckv_im.cloudformation_values import (
    Part,
    ResourceToken,
    StackRegionToken,
    TemplateValues,
    UnknownToken,
    intrinsic,
    line_of,
    shown,
)
from ckv_im.model import STACK_REGION, KeyRef, KmsKey, Region, RegionEntry, ReplicationSet, Resolved, Unknown, Where


class ReplicationSetReader:
    def __init__(self, values: TemplateValues, properties: PropertyReader, keys_by_id: dict[str, KmsKey]) -> None:
        self.values = values
        self.properties = properties
        self.key_refs = KeyRefReader(values, keys_by_id)

    def replication_set(self, logical_id: str, resource: dict[str, Any]) -> ReplicationSet:
        regions = at_path(resource, "Properties", "Regions")
        entries: Resolved[list[RegionEntry]]
        if isinstance(regions, list):
            entries = [self._entry(index, item) for index, item in enumerate(regions)]
        else:
            entries = Unknown(f"Regions is {shown(regions) if regions is not None else 'not set'}")
        guard, guard_where = self._guard(resource)
        return ReplicationSet(
            name=f"{REPLICATION_SET}.{logical_id}",
            resource_type=REPLICATION_SET,
            entries=entries,
            provider_region=Unknown("CloudFormation has no provider Region"),
            deletion_guard=guard,
            deletion_guard_hint="set DeletionPolicy: Retain or DeletionProtected: true",
            where={"deletion_guard": guard_where} if guard_where else {},
        )

    def _entry(self, index: int, item: Any) -> RegionEntry:
        where: Where = ("Properties", "Regions", index)
        if not isinstance(item, dict) or intrinsic(item) is not None:
            return RegionEntry(
                Unknown(f"Region entry {shown(item)} is not resolved"),
                Unknown("the entry is not resolved"),
                line_of(item),
                where,
            )
        region = self._region(at_path(item, "RegionName"))
        configuration = at_path(item, "RegionConfiguration")
        key_node = at_path(configuration, "SseKmsKeyId")
        if key_node is None:
            if configuration is None or (isinstance(configuration, dict) and intrinsic(configuration) is None):
                return RegionEntry(region, None, line_of(item), where)  # the AWS owned key
            return RegionEntry(
                region, Unknown(f"RegionConfiguration {shown(configuration)} is not resolved"), line_of(item), where
            )
        return RegionEntry(
            region,
            self.key_refs.key_ref(key_node),
            line_of(key_node) or line_of(item),
            (*where, "RegionConfiguration", "SseKmsKeyId"),
        )

    def _region(self, node: Any) -> Region:
        if node is None:
            return Unknown("RegionName is not set")
        parts = self.values.parts(node)
        if isinstance(parts, Unknown):
            return parts
        if parts == [StackRegionToken]:
            return STACK_REGION
        if len(parts) == 1 and isinstance(parts[0], str):
            return parts[0]
        return Unknown(f"RegionName {shown(node)} is not resolved")

    def _guard(self, resource: dict[str, Any]) -> tuple[Resolved[bool], Where | None]:
        retained = self.properties.retained(resource)
        node = at_path(resource, "Properties", "DeletionProtected")
        protected = self.properties.flag(node, default=False)
        where: Where | None = (
            ("Properties", "DeletionProtected")
            if node is not None
            else ("DeletionPolicy",)
            if at_path(resource, "DeletionPolicy") is not None
            else None
        )
        if retained is True or protected is True:
            return True, where
        if isinstance(retained, Unknown):
            return retained, where
        return protected, where


class KeyRefReader:
    """How a Region entry's SseKmsKeyId names its key: a key or alias of the template, a literal, an ARN built."""

    def __init__(self, values: TemplateValues, keys_by_id: dict[str, KmsKey]) -> None:
        self.values = values
        self.keys_by_id = keys_by_id

    def key_ref(self, node: Any) -> KeyRef | Unknown | None:
        text = shown(node)
        function = intrinsic(node)
        if function is not None and function[0] == "Ref" and function[1] == "AWS::NoValue":
            return None
        # Values known only at deployment are not certainly keys: "DefaultKey" is the AWS owned key.
        if function is not None and function[0] == "Fn::ImportValue":
            return KeyRef(
                text,
                Unknown("Fn::ImportValue is known only at deployment"),
                region=Unknown("an export of another stack"),
                certain=False,
            )
        if function is not None and function[0] not in ("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join"):
            return Unknown(f"{text} is known only at deployment and may leave the key unset")
        parts = self.values.parts(node)
        if isinstance(parts, Unknown):
            return KeyRef(text, parts, region=parts, certain=False)
        if len(parts) == 1 and isinstance(parts[0], ResourceToken):
            return self._resource_key_ref(text, parts[0])
        if all(isinstance(part, str) for part in parts):
            literal = "".join(part for part in parts if isinstance(part, str))
            if literal == OWNED_KEY:
                return None
            naming, region = classify_key_identifier(literal)
            return KeyRef(text, naming, region=STACK_REGION if StackRegionToken in parts else region)
        return self._built_key_ref(text, parts)

    def _resource_key_ref(self, text: str, token: ResourceToken) -> KeyRef:
        kind = self.values.resource_type(token.logical_id)
        key = self.keys_by_id.get(token.logical_id)
        if key is not None and token.attribute in (None, "KeyId", "Arn"):
            naming = "key_arn" if token.attribute == "Arn" else "key_id"  # Ref of a key is its key ID
            return KeyRef(text, naming, key=key, region=STACK_REGION)
        if kind == ALIAS and token.attribute is None:  # Ref of an alias is its name
            return KeyRef(text, "alias_name", key=self._alias_target(token.logical_id), region=STACK_REGION)
        return KeyRef(
            text,
            Unknown(f"{text} is an output of a {kind}, known only at deployment"),
            region=Unknown(f"{text} is known only at deployment"),
            certain=False,
        )

    def _alias_target(self, logical_id: str) -> KmsKey | None:
        node = at_path(self.values.resources.get(logical_id), "Properties", "TargetKeyId")
        parts = self.values.parts(node) if node is not None else []
        if not isinstance(parts, Unknown) and len(parts) == 1 and isinstance(parts[0], ResourceToken):
            return self.keys_by_id.get(parts[0].logical_id)
        return None

    def _built_key_ref(self, text: str, parts: list[Part]) -> KeyRef:
        """A Fn::Sub / Fn::Join value: an ARN shape whose Region and key ID may be tokens."""
        fields = _split_arn(parts)
        if fields is None:
            if isinstance(parts[0], str) and parts[0].startswith("alias/"):
                return KeyRef(text, "alias_name", region=Unknown(f"alias name {text} names no Region"))
            return KeyRef(
                text,
                Unknown(f"{text} is built from values known only at deployment"),
                region=Unknown(f"{text} is not resolved"),
                certain=False,
            )
        resource_type, region_parts, id_parts = fields
        naming = "key_arn" if resource_type == "key" else "alias_arn"
        key = None
        if len(id_parts) == 1 and isinstance(id_parts[0], ResourceToken) and id_parts[0].attribute in (None, "KeyId"):
            key = self.keys_by_id.get(id_parts[0].logical_id)
        return KeyRef(text, naming, key=key, region=_arn_region(region_parts, text))


def _split_arn(parts: list[Part]) -> tuple[str, list[Part], list[Part]] | None:
    """("key" or "alias", Region parts, key ID parts) of an ARN ``arn:P:kms:R:A:key/ID`` written in parts."""
    fields: list[list[Part]] = [[]]
    for part in parts:
        if not isinstance(part, str) or part == StackRegionToken:
            fields[-1].append(part)
            continue
        first, *others = part.split(":")
        if first:
            fields[-1].append(first)
        fields.extend([piece] if piece else [] for piece in others)
    if len(fields) != 6 or fields[0] != ["arn"] or fields[2] != ["kms"]:
        return None
    resource = fields[5]
    if not resource or not isinstance(resource[0], str) or resource[0] == StackRegionToken:
        return None
    head, slash, rest = resource[0].partition("/")
    if head not in ("key", "alias") or not slash:
        return None
    return head, fields[3], ([rest] if rest else []) + resource[1:]


def _arn_region(region_parts: list[Part], text: str) -> Region:
    if region_parts == [StackRegionToken]:
        return STACK_REGION
    if len(region_parts) == 1 and isinstance(region_parts[0], str) and region_parts[0]:
        return region_parts[0]
    reasons = [part.reason for part in region_parts if isinstance(part, UnknownToken)]
    return Unknown(f"the Region of {text} is not resolved" + (f" ({reasons[0]})" if reasons else ""))
