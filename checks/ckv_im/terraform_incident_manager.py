"""Incident Manager resources and SNS topics of a Terraform scan, and the topics each response plan names."""

from __future__ import annotations

from typing import Any

from ckv_im.arns import sns_topic_arn_parts
from ckv_im.model import IncidentManagerResource, Resolved, SnsTopic, Unknown, UnknownTemplate, Value
from ckv_im.rendered_values import clean
from ckv_im.terraform_attributes import tags_of
from ckv_im.terraform_dynamic_blocks import NestedBlock, NestedBlocks, leaves
from ckv_im.terraform_graph import MISSING, Block, GraphIndex
from ckv_im.terraform_references import Context, DataRef, Literal, Ref
from ckv_im.terraform_resolver import Resolver
from ckv_im.terraform_types import KEY_TYPES, KMS_ALIAS, RESPONSE_PLAN, SNS_TOPIC, name_fields_of


def read_topic(resolver: Resolver, block: Block) -> SnsTopic:
    return SnsTopic(block.address, _topic_key(resolver, block))


def unread_topic(block: Block) -> SnsTopic:
    """A topic no response plan of the scan notifies through: CKV_IM_12 gives it no result, so it is not read."""
    return SnsTopic(block.address, Unknown("not read: no response plan of the scan notifies through this topic"))


def _topic_key(resolver: Resolver, block: Block) -> Resolved[str | None]:
    """The topic's KMS key: a literal, a reference to a key or alias (set, even if only known after apply)."""
    raw, rendered = block.attribute("kms_master_key_id")
    if raw is MISSING and rendered is MISSING:
        return None
    resolved = resolver.resolve(raw, rendered, Context.of(block))
    if isinstance(resolved, (Ref, DataRef)) and resolved.type in (*KEY_TYPES, KMS_ALIAS):
        return resolved.text
    if isinstance(resolved, Literal):
        return resolved.value if isinstance(resolved.value, str) else None
    return resolved if isinstance(resolved, Unknown) else Unknown(f"{resolved.text} is not a KMS key")


class IncidentManagerReader:
    """Incident Manager resources, with the topics of the scan each response plan names."""

    def __init__(self, resolver: Resolver, index: GraphIndex, nested_blocks: NestedBlocks) -> None:
        self.resolver = resolver
        self.index = index
        self.nested_blocks = nested_blocks
        self._identities: dict[str, tuple[Any, Any]] | None = None

    def resource(self, block: Block) -> IncidentManagerResource:
        config = clean(block.conf)
        resource = IncidentManagerResource(
            block.address, block.type, name_fields_of(block.type, config), tags_of(block), config
        )
        if block.type == RESPONSE_PLAN:
            resource.notification_topics = self._topics_used_by(block)
        return resource

    def _topics_used_by(self, plan: Block) -> list[str]:
        """Topics of the scan a response plan's chat channel and notification targets name, through
        every path a key reference is followed through (locals, module outputs, instances, literal ARNs)."""
        values = [self.nested_blocks.value_of(NestedBlock.whole(plan), "chat_channel")]
        for template in self.nested_blocks.of(plan, "incident_template"):
            values += [
                self.nested_blocks.value_of(target, "sns_topic_arn")
                for target in self.nested_blocks.of(plan, "notification_target", template)
            ]
        return list(
            dict.fromkeys(
                address for value in values for leaf in leaves(value) for address in self._topics_named_by(leaf)
            )
        )

    def _topics_named_by(self, value: Value) -> list[str]:
        if (
            isinstance(value, Ref)
            and value.block is not None
            and value.block.type == SNS_TOPIC
            and value.attribute in ("arn", "id")
        ):  # a topic's id is its ARN
            return [value.block.address]
        text = value.text if isinstance(value, UnknownTemplate) else value
        parts = sns_topic_arn_parts(text) if isinstance(text, str) else None
        if parts is None:
            return []
        region, name = parts
        return [address for address, identity in self._topic_identities().items() if identity == (name, region)]

    def _topic_identities(self) -> dict[str, tuple[Any, Any]]:
        """Topic address -> (name, Region), for literal ARNs. The account is never compared: a
        configuration rarely says which account it is applied to."""
        if self._identities is None:
            self._identities = {
                block.address: (self.resolver.scalar(block, "name"), self.resolver.regions.region_of_resource(block))
                for block in self.index.resources_of({SNS_TOPIC})
            }
        return self._identities
