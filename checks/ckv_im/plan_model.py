"""Plan adapter: a ``terraform show -json`` plan -> ScanModel.

A plan has every module expanded and every variable, ``count`` and data source
resolved, but values that depend on resources not yet created are unknown
("known after apply"). Those are resolved through the plan's ``configuration``
section (``plan_references``). Replication set Region entries are a set, which
Terraform sorts: planned entries are joined to their configuration by Region name,
never by position (``plan_replication_sets``). A plan carries no ``lifecycle``:
deletion guards stay unknown. The engine shell keeps the model of each plan file it
reads (``ckv_im.model_cache``).
"""

from __future__ import annotations

import json
import os
from typing import Any

from ckv_im.model import ScanModel, Unknown, past_limit
from ckv_im.plan_incident_manager import PlanIncidentManager
from ckv_im.plan_index import index_plan
from ckv_im.plan_keys import PlanKeys
from ckv_im.plan_references import PlanReferences, PlanRegions
from ckv_im.plan_replication_sets import PlanReplicationSets
from ckv_im.terraform_types import IM_PREFIXES, KEY_TYPES, REPLICATION_SET, SNS_TOPIC

MAX_PLAN_BYTES = 512 * 1024 * 1024


def plan_model(path: str) -> ScanModel | Unknown:
    """The model of one plan file, or an Unknown saying why the plan cannot be read."""
    try:
        if os.path.getsize(path) > MAX_PLAN_BYTES:
            return Unknown("the plan file is too large to read")
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return Unknown(f"the plan is not readable JSON ({error.__class__.__name__})")
    except RecursionError:
        return past_limit("the plan JSON is nested deeper than Python's JSON reader goes")
    problem = _unsupported(document)
    if problem:
        return Unknown(problem)
    return PlanModelBuilder(document).build()


def _unsupported(document: Any) -> str | None:
    if not isinstance(document, dict):
        return "the plan is not a JSON object"
    version = str(document.get("format_version", ""))
    if not version.startswith("1."):
        return (
            f"plan format_version {version or '(none)'} is not supported "
            "(Terraform 0.12-era plans lack what the rules need)"
        )
    if document.get("errored"):
        return "the plan is errored: Terraform could not finish it"
    return None


def _managed(resource: dict[str, Any]) -> bool:
    return resource.get("mode", "managed") == "managed"


class PlanModelBuilder:
    def __init__(self, document: dict[str, Any]) -> None:
        self.index = index_plan(document)
        self.regions = PlanRegions(self.index)
        self.references = PlanReferences(self.index)
        self.model = ScanModel()

    def build(self) -> ScanModel:
        planned, model = self.index.planned, self.model
        keys = PlanKeys(self.index, self.regions, self.references)
        for address, resource in planned.items():
            if _managed(resource) and resource.get("type") in KEY_TYPES:
                model.keys[address] = keys.key(address, resource["type"])
        keys.attach_policies_and_primaries(model.keys)
        incident_manager = PlanIncidentManager(self.index, self.regions, self.references)
        for address, resource in planned.items():
            if resource.get("type") == SNS_TOPIC and _managed(resource):
                model.topics[address] = incident_manager.topic(address)
        replication_sets = PlanReplicationSets(self.index, self.regions, self.references, model.keys)
        for address, resource in planned.items():
            resource_type = resource.get("type") or ""
            if resource_type == REPLICATION_SET:
                model.replication_sets[address] = replication_sets.replication_set(address)
            if resource_type.startswith(IM_PREFIXES):
                model.im_resources[address] = incident_manager.resource(address, resource_type, model.topics)
        model.derive_relations()
        return model
