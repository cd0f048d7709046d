"""The Checkov shell for Terraform: find the resource in the scan's model, run its rule.

The models of a graph are built once and cached, one per root module the graph
holds (a monorepo scanned at once is one graph of many root modules); every
check on every resource of that graph then looks its subject up by address in
its own root module's model. A check never raises (see ``ckv_im.engine_shell``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from ckv_im.checkov_check import IncidentManagerCheck
from ckv_im.engine_shell import run_rule
from ckv_im.model import Result, ScanModel, Unknown
from ckv_im.model_cache import ModelCache
from ckv_im.rendered_values import unwrap
from ckv_im.terraform_types import RESOURCE_TYPES

if TYPE_CHECKING:  # the adapters are imported on first use: Checkov loads these checks in every framework's process
    from ckv_im.terraform_graph import GraphIndex, RootModules


@dataclass
class GraphModels:
    """The model of each root module of one graph (``ckv_im.terraform_graph.RootModules``)."""

    roots: RootModules
    models: dict[str, ScanModel]

    def model_of(self, conf: dict) -> "ScanModel | Unknown":
        root = self.roots.root_of(conf)
        if root is None and len(self.models) == 1:  # a conf Checkov copied: one root module leaves no doubt
            return next(iter(self.models.values()))
        if root is None:
            return Unknown("the root module of this resource is not found in Checkov's graph")
        return self.models[root]


GRAPH_MODELS: ModelCache[GraphModels] = ModelCache(size=4)  # Checkov may alternate between a few graphs
PLAN_MODELS: "ModelCache[ScanModel | Unknown]" = ModelCache(size=4)  # each plan file of a run is read once


def model_for(graph: Any, conf: dict, entity_path: str) -> "ScanModel | Unknown":
    if _is_plan(conf, entity_path):
        # Checkov's terraform_plan runner shares this registry: read the plan file itself.
        path = unwrap(conf.get("__file__"))
        if not isinstance(path, str):
            return Unknown("the plan file is not known")
        from ckv_im.plan_model import plan_model  # imported by a plan scan only: an HCL scan does not pay for it

        try:
            return PLAN_MODELS.for_file(path, lambda: plan_model(path))
        except OSError as error:
            return Unknown(f"the plan file cannot be read ({error.__class__.__name__})")
    # Checkov's terraform_json runner passes no graph, and does not reset the
    # registry's graph either: a graph left there by the Terraform runner of the
    # same process is not this resource's. Its confs carry no __address__.
    if graph is None or "__address__" not in conf:
        return _single_resource_model(conf, entity_path)
    return GRAPH_MODELS.for_object(graph, lambda: _graph_models(graph, conf, entity_path)).model_of(conf)


def _graph_models(graph: Any, conf: dict, entity_path: str) -> GraphModels:
    from ckv_im.terraform_graph import RawFiles, build_root_indexes
    from ckv_im.terraform_model import TerraformModelBuilder

    raw_files = RawFiles()  # shared: modules called from several root modules are read once
    roots = build_root_indexes(graph, raw_files)
    root = roots.root_of(conf)
    only_index = next(iter(roots.indexes.values())) if len(roots.indexes) == 1 else None
    index = roots.indexes[root] if root is not None else only_index
    raw_files.set_scan_root(_scan_root(index, conf, entity_path) if index is not None else None)
    models = {root_dir: TerraformModelBuilder(index, raw_files).build() for root_dir, index in roots.indexes.items()}
    return GraphModels(roots, models)


def _is_plan(conf: dict, entity_path: str) -> bool:
    """Plan resources carry an address like HCL ones, but come from a .json file (terraform_json ones carry none)."""
    return "__address__" in conf and _scanned_file(entity_path).endswith(".json")


def _scanned_file(entity_path: str) -> str:
    return entity_path.rsplit(":", 2)[0] if entity_path.count(":") >= 2 else ""


def _scan_root(index: GraphIndex, conf: dict, entity_path: str) -> str | None:
    """The directory Checkov scans: the resource's absolute file minus the path Checkov reports for it."""
    scanned_file = _scanned_file(entity_path).replace("\\", "/")
    address = conf.get("__address__")
    block = index.resources.get(address) if isinstance(address, str) else None
    file_path = block.file_path if block else ""
    if scanned_file and file_path.replace("\\", "/").endswith(scanned_file):
        return file_path[: len(file_path) - len(scanned_file)] or "/"
    return None


def _single_resource_model(conf: dict, entity_path: str) -> ScanModel:
    """No graph (Checkov's terraform_json runner): the resource alone, other resources unknown."""
    from ckv_im.terraform_graph import Block, GraphIndex, RawFiles
    from ckv_im.terraform_model import TerraformModelBuilder

    scanned_file, resource_type, name = [*entity_path.rsplit(":", 2), "", "", ""][:3]
    address = conf.get("__address__") or f"{resource_type}.{name}"
    # Terraform JSON syntax keeps "${...}" around expressions, so it can serve as the raw view.
    raw = conf if scanned_file.endswith(".json") else None
    block = Block("resource", resource_type, name, "", address, conf, raw, "", "")
    index = GraphIndex(resources={address: block})
    model = TerraformModelBuilder(index, RawFiles()).build()
    for key in model.keys.values():
        key.policy_may_be_replaced = True
    return model


class TerraformCheck(IncidentManagerCheck, BaseResourceCheck):
    """A CKV_IM check on Terraform HCL, Terraform JSON and plan JSON: the resource in the model of its graph or plan."""

    resource_types = RESOURCE_TYPES

    def evaluate(self, conf: dict) -> Result:
        address = conf.get("__address__") or f"{self.entity_type}.{self.entity_path.rsplit(':', 1)[-1]}"
        return run_rule(
            self.rule, str(address), lambda: model_for(self.graph, conf, self.entity_path), self.entity_path
        )
