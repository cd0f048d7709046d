"""The CloudFormation adapter: one template -> the normalised ``ScanModel``.

Input is a template as Checkov's or cfn-lint's parser returns it: YAML with
short-form tags, JSON, CDK synth output, or the ``resources:`` section of a
Serverless Framework file. Resources are named as Checkov names them
(``AWS::KMS::Key.IncidentKey``). Every key defined in the template lives in the
stack Region (``STACK_REGION``). Paths recorded in ``where`` are relative to the
resource (``("Properties", "Regions", 0, "RegionConfiguration", "SseKmsKeyId")``),
so that cfn-lint can point at the offending property.

The builder only puts the parts together: ``cloudformation_values`` evaluates
intrinsic functions, ``cloudformation_keys``, ``cloudformation_replication_sets`` and
``cloudformation_incident_manager`` read each kind of resource.
"""

from __future__ import annotations

from typing import Any

from ckv_im.cloudformation_incident_manager import IncidentManagerReader
from ckv_im.cloudformation_keys import KeyReader
from ckv_im.cloudformation_properties import PropertyReader
from ckv_im.cloudformation_replication_sets import ReplicationSetReader
from ckv_im.cloudformation_types import IM_PREFIXES, KEY_TYPES, REPLICA_KEY, REPLICATION_SET, SNS_TOPIC
from ckv_im.cloudformation_values import TemplateValues
from ckv_im.model import KmsKey, ScanModel


def template_of(document: Any) -> tuple[dict[str, Any] | None, bool]:
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


class CloudFormationModelBuilder:
    def __init__(self, template: dict[str, Any], serverless_file: dict[str, Any] | None = None) -> None:
        self.values = TemplateValues(template, serverless_file)
        self.model = ScanModel()

    def build(self) -> ScanModel:
        resources = [
            (logical_id, resource, self.values.resource_type(logical_id))
            for logical_id, resource in self.values.resources.items()
        ]
        typed = [(i, r, kind) for i, r, kind in resources if isinstance(i, str) and kind]
        properties = PropertyReader(self.values)
        keys = KeyReader(self.values, properties)
        keys_by_id: dict[str, KmsKey] = {}
        for logical_id, resource, kind in typed:  # keys first: the others point at them
            if kind in KEY_TYPES:
                keys_by_id[logical_id] = self.model.keys[f"{kind}.{logical_id}"] = keys.key(logical_id, resource, kind)
        replication_sets = ReplicationSetReader(self.values, properties, keys_by_id)
        incident_manager = IncidentManagerReader(self.values, properties)
        for logical_id, resource, kind in typed:
            if kind == REPLICA_KEY:
                keys.link_primary(keys_by_id[logical_id], resource, keys_by_id)
            elif kind == REPLICATION_SET:
                rset = replication_sets.replication_set(logical_id, resource)
                self.model.replication_sets[rset.name] = rset
            elif kind == SNS_TOPIC:
                self.model.topics[f"{kind}.{logical_id}"] = incident_manager.topic(logical_id, resource)
            if kind.startswith(IM_PREFIXES):
                self.model.im_resources[f"{kind}.{logical_id}"] = incident_manager.resource(logical_id, resource, kind)
        self.model.derive_relations()
        return self.model
