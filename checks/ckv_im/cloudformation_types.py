"""CloudFormation resource types and the properties the CloudFormation adapter reads, shared by its parts and shells."""

from __future__ import annotations

from typing import Any

from ckv_im.model import Subject

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
OWNED_KEY = "DefaultKey"  # the API's name for the AWS owned key

# CKV_IM_10: the name-like fields of each Incident Manager resource type (docs/rules/CKV_IM_10.md), as property paths.
NAME_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    RESPONSE_PLAN: (
        ("Name",),
        ("DisplayName",),
        ("IncidentTemplate", "Title"),
        ("IncidentTemplate", "Summary"),
        ("IncidentTemplate", "DedupeString"),
        ("IncidentTemplate", "IncidentTags"),
    ),
    "AWS::SSMContacts::Contact": (("Alias",), ("DisplayName",)),
    "AWS::SSMContacts::ContactChannel": (("ChannelName",),),
    "AWS::SSMContacts::Rotation": (("Name",),),
}
# Where a response plan names the SNS topics incident details flow through.
TOPIC_FIELDS = (("ChatChannel",), ("IncidentTemplate", "NotificationTargets"))


def at_path(node: Any, *path: Any) -> Any:
    """The value at a path of property names (never one of Checkov's ``__markers__``), or None."""
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return node
