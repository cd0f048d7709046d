"""Incident Manager resources and SNS topics of a plan, and the topics each response plan names."""

from __future__ import annotations

from typing import Any

from ckv_im.arns import sns_topic_arn_parts
from ckv_im.model import IncidentManagerResource, SnsTopic, is_unknown
from ckv_im.plan_index import PlanIndex, as_dict, as_list, instance_prefix, references_of
from ckv_im.plan_references import PlanReferences, PlanRegions
from ckv_im.rendered_values import clean
from ckv_im.terraform_types import RESPONSE_PLAN, SNS_TOPIC, name_fields_of


class PlanIncidentManager:
    def __init__(self, index: PlanIndex, regions: PlanRegions, references: PlanReferences) -> None:
        self.index = index
        self.regions = regions
        self.references = references

    def topic(self, address: str) -> SnsTopic:
        config = self.index.config_of(address)
        key = self.index.value(address, "kms_master_key_id")
        if is_unknown(key) and config is not None and "kms_master_key_id" in config.expressions:
            key = "a key known only after apply"  # set in the configuration: it will hold a key
        return SnsTopic(address, key)

    def resource(self, address: str, resource_type: str, topics: dict[str, SnsTopic]) -> IncidentManagerResource:
        """An Incident Manager resource; a response plan with the planned ``topics`` it names."""
        values = clean(self.index.values(address))
        values.pop("tags_all", None)  # provider default tags belong to every resource
        tags = values.get("tags")
        resource = IncidentManagerResource(
            address,
            resource_type,
            name_fields_of(resource_type, values),
            tags if isinstance(tags, dict) or is_unknown(tags) else {},
            values,
        )
        if resource_type == RESPONSE_PLAN:
            resource.notification_topics = self._topics_used_by(address, topics)
        return resource

    def _topics_used_by(self, address: str, topics: dict[str, SnsTopic]) -> list[str]:
        """Topics a response plan names: through its configuration's references (module outputs and
        count / for_each instances followed), and by ARN where the plan knows the value."""
        config = self.index.config_of(address)
        expressions = [config.expressions.get("chat_channel")] if config else []
        for template in as_list(config.expressions.get("incident_template") if config else None):
            expressions += [
                as_dict(target).get("sns_topic_arn") for target in as_list(as_dict(template).get("notification_target"))
            ]
        references = [reference for expression in expressions for reference in references_of(expression)]
        found = self.references.resources_behind(references, instance_prefix(address), (SNS_TOPIC,))
        values = self.index.values(address)
        arns: list[Any] = as_list(values.get("chat_channel")) + [
            as_dict(target).get("sns_topic_arn")
            for template in as_list(values.get("incident_template"))
            for target in as_list(as_dict(template).get("notification_target"))
        ]
        found += [topic for arn in arns if isinstance(arn, str) for topic in self._topics_by_arn(arn, topics)]
        return [topic for topic in dict.fromkeys(found) if topic in topics]

    def _topics_by_arn(self, arn: str, topics: dict[str, SnsTopic]) -> list[str]:
        """Planned topics with the ARN's name and Region (the account is not compared, as in HCL)."""
        parts = sns_topic_arn_parts(arn)
        if parts is None:
            return []
        region, name = parts
        return [
            address
            for address in topics
            if self.index.value(address, "name") == name and self.regions.region_of(address) == region
        ]
