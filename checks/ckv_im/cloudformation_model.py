"""The CloudFormation adapter: one template -> the normalised ``ScanModel``.

Input is a template as Checkov's or cfn-lint's parser returns it: YAML with
short-form tags, JSON, CDK synth output, or the ``resources:`` section of a
Serverless Framework file. Resources are named as Checkov names them
(``AWS::KMS::Key.IncidentKey``). Every key defined in the template lives in the
stack Region (``STACK_REGION``). Paths recorded in ``where`` are relative to the
resource (``("Properties", "Regions", 0, "RegionConfiguration", "SseKmsKeyId")``),
so that cfn-lint can point at the offending property.
"""
from __future__ import annotations

import json
from typing import Any

from ckv_im.arns import classify_key_identifier
from ckv_im.cloudformation_values import (
    ResourceToken,
    StackRegionToken,
    TemplateValues,
    UnknownToken,
    entries,
    intrinsic,
    line_of,
    referenced_ids,
    shown,
)
from ckv_im.model import (
    STACK_REGION,
    IncidentManagerResource,
    KeyRef,
    KmsKey,
    RegionEntry,
    ReplicationSet,
    ScanModel,
    SnsTopic,
    Subject,
    Unknown,
    is_unknown,
)

KEY = "AWS::KMS::Key"
REPLICA_KEY = "AWS::KMS::ReplicaKey"
KEY_TYPES = (KEY, REPLICA_KEY)
ALIAS = "AWS::KMS::Alias"
REPLICATION_SET = "AWS::SSMIncidents::ReplicationSet"
SNS_TOPIC = "AWS::SNS::Topic"
RESPONSE_PLAN = "AWS::SSMIncidents::ResponsePlan"
IM_PREFIXES = ("AWS::SSMIncidents::", "AWS::SSMContacts::")
IM_RESOURCE_PATTERNS = tuple(prefix + "*" for prefix in IM_PREFIXES)
# The resource types each subject of a rule covers, for the Checkov and cfn-lint shells.
RESOURCE_TYPES: dict[Subject, tuple[str, ...]] = {
    Subject.KEY: KEY_TYPES,
    Subject.REPLICATION_SET: (REPLICATION_SET,),
    Subject.IM_RESOURCE: IM_RESOURCE_PATTERNS,
    Subject.IM_RESOURCE_OR_KEY: (*KEY_TYPES, *IM_RESOURCE_PATTERNS),
    Subject.TOPIC: (SNS_TOPIC,),
}
RETAINING_POLICIES = {"Retain", "RetainExceptOnCreate"}
OWNED_KEY = "DefaultKey"   # the API's name for the AWS owned key

# CKV_IM_10: the name-like fields of each Incident Manager resource type (RULES.md), as property paths.
NAME_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    RESPONSE_PLAN: (("Name",), ("DisplayName",), ("IncidentTemplate", "Title"), ("IncidentTemplate", "Summary"),
                    ("IncidentTemplate", "DedupeString"), ("IncidentTemplate", "IncidentTags")),
    "AWS::SSMContacts::Contact": (("Alias",), ("DisplayName",)),
    "AWS::SSMContacts::ContactChannel": (("ChannelName",),),
    "AWS::SSMContacts::Rotation": (("Name",),),
}
# Where a response plan names the SNS topics incident details flow through.
TOPIC_FIELDS = (("ChatChannel",), ("IncidentTemplate", "NotificationTargets"))


def template_of(document: Any) -> tuple[dict | None, bool]:
    """(template, is a Serverless file): a CloudFormation template, or the ``resources:`` of serverless.yml."""
    if not isinstance(document, dict):
        return None, False
    if isinstance(document.get("Resources"), dict):
        return document, False
    resources = document.get("resources")
    if isinstance(resources, dict) and isinstance(resources.get("Resources"), dict):
        return resources, True
    return None, False


def build_model(document: Any) -> ScanModel:
    template, serverless = template_of(document)
    if template is None:
        return ScanModel()
    return CloudFormationModelBuilder(template, document if serverless else None).build()


def _at(node: Any, *path: Any) -> Any:
    """The value at a path of property names (never one of Checkov's ``__markers__``), or None."""
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return node


class CloudFormationModelBuilder:
    def __init__(self, template: dict, serverless_file: dict | None = None) -> None:
        self.values = TemplateValues(template, serverless_file)
        self.model = ScanModel()
        self.keys_by_id: dict[str, KmsKey] = {}

    def build(self) -> ScanModel:
        resources = [(logical_id, resource, self.values.resource_type(logical_id))
                     for logical_id, resource in self.values.resources.items()]
        resources = [(i, r, kind) for i, r, kind in resources if isinstance(i, str) and kind]
        for logical_id, resource, kind in resources:      # keys first: the others point at them
            if kind in KEY_TYPES:
                self._add_key(logical_id, resource, kind)
        for logical_id, resource, kind in resources:
            if kind == REPLICA_KEY:
                self._link_primary(logical_id, resource)
            elif kind == REPLICATION_SET:
                self._add_replication_set(logical_id, resource)
            elif kind == SNS_TOPIC:
                self._add_topic(logical_id, resource)
            if kind.startswith(IM_PREFIXES):
                self._add_im_resource(logical_id, resource, kind)
        self._link_topics(resources)
        return self.model

    # -- keys -------------------------------------------------------------------------------------
    def _add_key(self, logical_id: str, resource: dict, kind: str) -> None:
        properties = _at(resource, "Properties")
        name = f"{kind}.{logical_id}"
        key = KmsKey(name=name, resource_type=kind, region=STACK_REGION,
                     deletion_guard_hint="set DeletionPolicy: Retain (and UpdateReplacePolicy: Retain)")
        present = {field: ("Properties", prop) for field, prop in (
            ("key_spec", "KeySpec"), ("key_usage", "KeyUsage"), ("origin", "Origin"), ("policy", "KeyPolicy"),
            ("enabled", "Enabled"), ("description", "Description"), ("primary", "PrimaryKeyArn"),
            ("tags", "Tags")) if _at(properties, prop) is not None}
        if _at(resource, "DeletionPolicy") is not None:
            present["deletion_guard"] = ("DeletionPolicy",)
        key.where = present
        if kind == KEY:
            key.key_spec = self._text(_at(properties, "KeySpec"), "SYMMETRIC_DEFAULT")
            key.key_usage = self._text(_at(properties, "KeyUsage"), "ENCRYPT_DECRYPT")
            key.origin = self._text(_at(properties, "Origin"), "AWS_KMS")
        key.policy, key.policy_source = self._policy(_at(properties, "KeyPolicy")), "KeyPolicy"
        key.enabled = self._flag(_at(properties, "Enabled"), default=True)
        key.deletion_guard = self._retained(resource)
        key.description = self.values.value(_at(properties, "Description"))
        key.tags = self._tags(_at(properties, "Tags"))
        self.keys_by_id[logical_id] = key
        self.model.keys[name] = key

    def _link_primary(self, logical_id: str, resource: dict) -> None:
        """A replica key takes its spec and origin from its primary (PrimaryKeyArn)."""
        node = _at(resource, "Properties", "PrimaryKeyArn")
        parts = self.values.parts(node) if node is not None else Unknown("PrimaryKeyArn is not set")
        primary: Any = Unknown(f"primary key {shown(node)} is not a key of this template")
        if is_unknown(parts):
            primary = parts
        elif len(parts) == 1 and isinstance(parts[0], ResourceToken) and parts[0].attribute == "Arn":
            target = self.keys_by_id.get(parts[0].logical_id)
            if target is not None and target.resource_type == KEY:
                primary = target
        replica = self.keys_by_id[logical_id]
        replica.primary = primary
        if is_unknown(primary):
            # One AWS::KMS::ReplicaKey type serves AWS_KMS and EXTERNAL primaries alike: the origin is the primary's.
            replica.origin = Unknown(f"the key material origin is the primary's ({primary.reason})")

    def _policy(self, node: Any) -> Any:
        if node is None:
            return None                       # the AWS default key policy
        policy = self.values.value(node)
        if isinstance(policy, str):
            try:
                policy = json.loads(policy)
            except ValueError:
                return Unknown("KeyPolicy is a string that is not valid JSON")
        if isinstance(policy, dict) or is_unknown(policy):
            return policy
        return Unknown(f"KeyPolicy is a {type(policy).__name__}, not a policy document")

    # -- replication sets -------------------------------------------------------------------------
    def _add_replication_set(self, logical_id: str, resource: dict) -> None:
        name = f"{REPLICATION_SET}.{logical_id}"
        regions = _at(resource, "Properties", "Regions")
        entries_or_unknown: Any
        if isinstance(regions, list):
            entries_or_unknown = [self._entry(index, item) for index, item in enumerate(regions)]
        else:
            entries_or_unknown = Unknown(f"Regions is {shown(regions) if regions is not None else 'not set'}")
        guard, guard_where = self._replication_set_guard(resource)
        rset = ReplicationSet(
            name=name, resource_type=REPLICATION_SET, entries=entries_or_unknown,
            provider_region=Unknown("CloudFormation has no provider Region"),
            deletion_guard=guard, deletion_guard_hint="set DeletionPolicy: Retain or DeletionProtected: true",
            where={"deletion_guard": guard_where} if guard_where else {})
        self.model.replication_sets[name] = rset
        for entry in rset.entries if isinstance(rset.entries, list) else ():
            if isinstance(entry.key, KeyRef) and entry.key.key is not None:
                self.model.key_users.setdefault(entry.key.key.name, []).append(name)

    def _entry(self, index: int, item: Any) -> RegionEntry:
        where = ("Properties", "Regions", index)
        if not isinstance(item, dict) or intrinsic(item) is not None:
            return RegionEntry(Unknown(f"Region entry {shown(item)} is not resolved"),
                               Unknown("the entry is not resolved"), line_of(item), where)
        region = self._region(_at(item, "RegionName"))
        configuration = _at(item, "RegionConfiguration")
        key_node = _at(configuration, "SseKmsKeyId")
        if key_node is None:
            if configuration is None or isinstance(configuration, dict) and intrinsic(configuration) is None:
                return RegionEntry(region, None, line_of(item), where)   # the AWS owned key
            return RegionEntry(region, Unknown(f"RegionConfiguration {shown(configuration)} is not resolved"),
                               line_of(item), where)
        return RegionEntry(region, self._key_ref(key_node), line_of(key_node) or line_of(item),
                           where + ("RegionConfiguration", "SseKmsKeyId"))

    def _region(self, node: Any) -> Any:
        if node is None:
            return Unknown("RegionName is not set")
        parts = self.values.parts(node)
        if is_unknown(parts):
            return parts
        if parts == [StackRegionToken]:
            return STACK_REGION
        if len(parts) == 1 and isinstance(parts[0], str):
            return parts[0]
        return Unknown(f"RegionName {shown(node)} is not resolved")

    def _replication_set_guard(self, resource: dict) -> tuple[Any, tuple | None]:
        retained = self._retained(resource)
        node = _at(resource, "Properties", "DeletionProtected")
        protected = self._flag(node, default=False)
        where = ("Properties", "DeletionProtected") if node is not None else \
            ("DeletionPolicy",) if _at(resource, "DeletionPolicy") is not None else None
        if retained is True or protected is True:
            return True, where
        if is_unknown(retained):
            return retained, where
        return protected, where

    # -- how a Region entry names its key ---------------------------------------------------------
    def _key_ref(self, node: Any) -> Any:
        text = shown(node)
        function = intrinsic(node)
        if function is not None and function[0] == "Ref" and function[1] == "AWS::NoValue":
            return None
        # Values known only at deployment are not certainly keys: "DefaultKey" is the AWS owned key.
        if function is not None and function[0] == "Fn::ImportValue":
            return KeyRef(text, Unknown("Fn::ImportValue is known only at deployment"),
                          region=Unknown("an export of another stack"), certain=False)
        if function is not None and function[0] not in ("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join"):
            return Unknown(f"{text} is known only at deployment and may leave the key unset")
        parts = self.values.parts(node)
        if is_unknown(parts):
            return KeyRef(text, parts, region=parts, certain=False)
        if len(parts) == 1 and isinstance(parts[0], ResourceToken):
            return self._resource_key_ref(text, parts[0])
        if all(isinstance(part, str) for part in parts):
            literal = "".join(parts)
            if literal == OWNED_KEY:
                return None
            naming, region = classify_key_identifier(literal)
            return KeyRef(text, naming, region=STACK_REGION if StackRegionToken in parts else region)
        return self._built_key_ref(text, parts)

    def _resource_key_ref(self, text: str, token: ResourceToken) -> KeyRef:
        kind = self.values.resource_type(token.logical_id)
        key = self.keys_by_id.get(token.logical_id)
        if key is not None and token.attribute in (None, "KeyId", "Arn"):
            naming = "key_arn" if token.attribute == "Arn" else "key_id"   # Ref of a key is its key ID
            return KeyRef(text, naming, key=key, region=STACK_REGION)
        if kind == ALIAS and token.attribute is None:                   # Ref of an alias is its name
            return KeyRef(text, "alias_name", key=self._alias_target(token.logical_id), region=STACK_REGION)
        return KeyRef(text, Unknown(f"{text} is an output of a {kind}, known only at deployment"),
                      region=Unknown(f"{text} is known only at deployment"), certain=False)

    def _alias_target(self, logical_id: str) -> KmsKey | None:
        node = _at(self.values.resources.get(logical_id), "Properties", "TargetKeyId")
        parts = self.values.parts(node) if node is not None else []
        if not is_unknown(parts) and len(parts) == 1 and isinstance(parts[0], ResourceToken):
            return self.keys_by_id.get(parts[0].logical_id)
        return None

    def _built_key_ref(self, text: str, parts: list) -> KeyRef:
        """A Fn::Sub / Fn::Join value: an ARN shape whose Region and key ID may be tokens."""
        fields = _split_arn(parts)
        if fields is None:
            if isinstance(parts[0], str) and parts[0].startswith("alias/"):
                return KeyRef(text, "alias_name", region=Unknown(f"alias name {text} names no Region"))
            return KeyRef(text, Unknown(f"{text} is built from values known only at deployment"),
                          region=Unknown(f"{text} is not resolved"), certain=False)
        resource_type, region_parts, id_parts = fields
        naming = "key_arn" if resource_type == "key" else "alias_arn"
        key = None
        if len(id_parts) == 1 and isinstance(id_parts[0], ResourceToken) and id_parts[0].attribute in (None, "KeyId"):
            key = self.keys_by_id.get(id_parts[0].logical_id)
        return KeyRef(text, naming, key=key, region=_arn_region(region_parts, text))

    # -- SNS topics and Incident Manager resources ------------------------------------------------
    def _add_topic(self, logical_id: str, resource: dict) -> None:
        node = _at(resource, "Properties", "KmsMasterKeyId")
        name = f"{SNS_TOPIC}.{logical_id}"
        parts = self.values.parts(node) if node is not None else []
        # A reference to a key or alias of the stack is never empty, even though its value is known only later.
        if parts and not is_unknown(parts) and all(isinstance(part, (str, ResourceToken)) for part in parts):
            key: Any = "".join(part if isinstance(part, str) else part.text for part in parts)
        else:
            key = self.values.value(node)
        self.model.topics[name] = SnsTopic(
            name=name, kms_master_key_id=key,
            where={"kms_master_key_id": ("Properties", "KmsMasterKeyId")} if node is not None else {})

    def _link_topics(self, resources: list) -> None:
        for logical_id, resource, kind in resources:
            if kind != RESPONSE_PLAN:
                continue
            for path in TOPIC_FIELDS:
                for target in referenced_ids(_at(resource, "Properties", *path)):
                    topic = self.model.topics.get(f"{SNS_TOPIC}.{target}")
                    plan = f"{RESPONSE_PLAN}.{logical_id}"
                    if topic is not None and plan not in topic.used_by:
                        topic.used_by.append(plan)

    def _add_im_resource(self, logical_id: str, resource: dict, kind: str) -> None:
        properties = _at(resource, "Properties")
        name_fields, where = {}, {"config": ("Properties",), "tags": ("Properties", "Tags")}
        for path in NAME_FIELDS.get(kind, ()):
            node = _at(properties, *path)
            if node is not None:
                label = ".".join(path)
                name_fields[label] = self.values.value(node)
                where[label] = ("Properties",) + path
        self.model.im_resources[f"{kind}.{logical_id}"] = IncidentManagerResource(
            name=f"{kind}.{logical_id}", resource_type=kind, name_fields=name_fields,
            tags=self._tags(_at(properties, "Tags")), config=self.values.value(properties) or {}, where=where)

    # -- small values ------------------------------------------------------------------------------
    def _text(self, node: Any, default: str) -> Any:
        if node is None:
            return default
        value = self.values.value(node)
        if isinstance(value, str) or is_unknown(value):
            return value
        return Unknown(f"{shown(node)} is not a string")

    def _flag(self, node: Any, default: bool) -> Any:
        """A Boolean property: CloudFormation takes true/false and the strings "true"/"false"."""
        if node is None:
            return default
        value = self.values.value(node)
        if value is None:
            return default                    # AWS::NoValue
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return value if is_unknown(value) else Unknown(f"{shown(node)} is not a Boolean")

    def _retained(self, resource: dict) -> Any:
        """DeletionPolicy Retain or RetainExceptOnCreate keeps the resource when it or its stack is deleted."""
        node = _at(resource, "DeletionPolicy")
        if node is None:
            return False
        value = self.values.value(node)
        if is_unknown(value):
            return value
        return isinstance(value, str) and value in RETAINING_POLICIES

    def _tags(self, node: Any) -> Any:
        """A Tags list ([{Key, Value}]) as a dict; tags whose key is not resolved are left out."""
        if node is None:
            return {}
        value = self.values.value(node)
        if is_unknown(value):
            return value
        if not isinstance(value, list):
            return Unknown(f"Tags {shown(node)} is not a list of tags")
        tags = {}
        for tag in value:
            if isinstance(tag, dict) and isinstance(tag.get("Key"), str):
                tags[tag["Key"]] = tag.get("Value")
        return tags


def _split_arn(parts: list) -> tuple[str, list, list] | None:
    """("key" or "alias", Region parts, key ID parts) of an ARN ``arn:P:kms:R:A:key/ID`` written in parts."""
    fields: list[list] = [[]]
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


def _arn_region(region_parts: list, text: str) -> Any:
    if region_parts == [StackRegionToken]:
        return STACK_REGION
    if len(region_parts) == 1 and isinstance(region_parts[0], str) and region_parts[0]:
        return region_parts[0]
    reasons = [part.reason for part in region_parts if isinstance(part, UnknownToken)]
    return Unknown(f"the Region of {text} is not resolved" + (f" ({reasons[0]})" if reasons else ""))
