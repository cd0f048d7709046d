"""Terraform adapter: a Checkov Terraform graph (and the raw HCL behind it) -> ScanModel.

Resolution follows docs/semantics.md: key references through ``.arn``, aliases and
module outputs; key Regions through the v6 ``region`` argument, provider aliases and
providers handed to modules; ``data "aws_region"`` as the Region of its provider;
``dynamic`` blocks whose ``for_each`` resolves, expanded as Terraform expands them; key
policies through ``jsonencode``, JSON strings and heredocs, ``locals``, variables,
``aws_iam_policy_document`` data sources, ``aws_kms_key_policy`` resources and ``file()``.
Whatever cannot be resolved becomes an ``Unknown`` with its reason.

The builder only puts the parts together: ``terraform_resolver`` resolves expressions,
``terraform_keys``, ``terraform_replication_sets`` and ``terraform_incident_manager``
read each kind of resource. A key or topic no rule judges is not read beyond what tells so
(its policy; who notifies through it): on a monorepo where Incident Manager is rare, the
raw HCL of ordinary resources is never parsed.
"""

from __future__ import annotations

from ckv_im.model import ScanModel
from ckv_im.terraform_dynamic_blocks import NestedBlocks
from ckv_im.terraform_graph import GraphIndex, RawFiles
from ckv_im.terraform_incident_manager import IncidentManagerReader, read_topic, unread_topic
from ckv_im.terraform_keys import KeyLookup
from ckv_im.terraform_replication_sets import ReplicationSetReader
from ckv_im.terraform_resolver import Resolver
from ckv_im.terraform_types import IM_PREFIXES, REPLICATION_SET, SNS_TOPIC


class TerraformModelBuilder:
    def __init__(self, index: GraphIndex, raw_files: RawFiles) -> None:
        self.index = index
        self.resolver = Resolver(index, raw_files)
        self.keys = KeyLookup(self.resolver, index)
        self.model = ScanModel()

    def build(self) -> ScanModel:
        nested_blocks = NestedBlocks(self.resolver)
        replication_sets = ReplicationSetReader(self.resolver, nested_blocks, self.keys)
        for block in self.index.resources_of({REPLICATION_SET}):
            self.model.replication_sets[block.address] = replication_sets.replication_set(block)
        self.model.keys = self.keys.all_keys()
        incident_manager = IncidentManagerReader(self.resolver, self.index, nested_blocks)
        for block in self.index.resources.values():
            if block.type.startswith(IM_PREFIXES):
                self.model.im_resources[block.address] = incident_manager.resource(block)
        notified = {name for resource in self.model.im_resources.values() for name in resource.notification_topics}
        for block in self.index.resources_of({SNS_TOPIC}):
            # only a topic a response plan notifies through is judged (CKV_IM_12): no other is read
            topic = read_topic(self.resolver, block) if block.address in notified else unread_topic(block)
            self.model.topics[block.address] = topic
        self.model.derive_relations()
        return self.model
