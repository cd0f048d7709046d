"""Incident Manager resources and SNS topics of a CloudFormation template, and the topics each response plan names."""

from __future__ import annotations

from typing import Any

from ckv_im.cloudformation_properties import PropertyReader
from ckv_im.cloudformation_types import NAME_FIELDS, RESPONSE_PLAN, SNS_TOPIC, TOPIC_FIELDS, at_path
from ckv_im.cloudformation_values import ResourceToken, TemplateValues, referenced_ids
from ckv_im.model import IncidentManagerResource, SnsTopic, Value, Where


class IncidentManagerReader:
    def __init__(self, values: TemplateValues, properties: PropertyReader) -> None:
        self.values = values
        self.properties = properties

    def topic(self, logical_id: str, resource: dict[str, Any]) -> SnsTopic:
        node = at_path(resource, "Properties", "KmsMasterKeyId")
        name = f"{SNS_TOPIC}.{logical_id}"
        parts = self.values.parts(node) if node is not None else []
        # A reference to a key or alias of the stack is never empty, even though its value is known only later.
        key: Any
        if parts and isinstance(parts, list) and all(isinstance(part, (str, ResourceToken)) for part in parts):
            key = "".join(part if isinstance(part, str) else part.text for part in parts)
        else:
            key = self.values.value(node)
        return SnsTopic(
            name=name,
            kms_master_key_id=key,
            where={"kms_master_key_id": ("Properties", "KmsMasterKeyId")} if node is not None else {},
        )

    def resource(self, logical_id: str, resource: dict[str, Any], kind: str) -> IncidentManagerResource:
        properties = at_path(resource, "Properties")
        name_fields: dict[str, Value] = {}
        where: dict[str, Where] = {"config": ("Properties",), "tags": ("Properties", "Tags")}
        for path in NAME_FIELDS.get(kind, ()):
            node = at_path(properties, *path)
            if node is not None:
                label = ".".join(path)
                name_fields[label] = self.values.value(node)
                where[label] = ("Properties", *path)
        return IncidentManagerResource(
            name=f"{kind}.{logical_id}",
            resource_type=kind,
            name_fields=name_fields,
            tags=self.properties.tags(at_path(properties, "Tags")),
            config=self.values.value(properties) or {},
            where=where,
            notification_topics=self._topics_named(resource) if kind == RESPONSE_PLAN else [],
        )

    def _topics_named(self, resource: dict[str, Any]) -> list[str]:
        """The template's topics a response plan's chat channel and notification targets refer to."""
        targets = [target for path in TOPIC_FIELDS for target in referenced_ids(at_path(resource, "Properties", *path))]
        return [
            f"{SNS_TOPIC}.{target}"
            for target in dict.fromkeys(targets)
            if self.values.resource_type(target) == SNS_TOPIC
        ]
