"""Replication sets of a plan: their Region entries joined to their configuration by Region name.

Region entries are a set, which Terraform sorts: planned entries are joined to their
configuration blocks by Region name, never by position. A plan carries no ``lifecycle``:
the deletion guard stays unknown.
"""

from __future__ import annotations

from typing import Any

from ckv_im.model import KeyRef, KmsKey, RegionEntry, ReplicationSet, Resolved, Unknown
from ckv_im.plan_changes import PlanChanges
from ckv_im.plan_index import PlanIndex, as_dict, as_list, instance_prefix, references_of
from ckv_im.plan_keys import NO_LIFECYCLE
from ckv_im.plan_references import PlanReferences, PlanRegions
from ckv_im.terraform_types import REPLICATION_SET, key_ref_from_literal

ENTRY_ATTRIBUTES = ("region", "regions")  # provider v5 and v6 names of the Region entry blocks


class PlanReplicationSets:
    def __init__(
        self, index: PlanIndex, regions: PlanRegions, references: PlanReferences, keys: dict[str, KmsKey]
    ) -> None:
        self.index = index
        self.regions = regions
        self.keys = keys
        self.entry_keys = PlanEntryKeys(references, keys)
        self.changes = PlanChanges(index)

    def replication_set(self, address: str) -> ReplicationSet:
        entries = self._entries(address)
        return ReplicationSet(
            name=address,
            resource_type=REPLICATION_SET,
            entries=entries,
            provider_region=self.regions.provider_region(address),
            deletion_guard=Unknown(NO_LIFECYCLE),
            plan=self.changes.of(address, entries),
        )

    def _entries(self, address: str) -> Resolved[list[RegionEntry]]:
        values = self.index.values(address)
        unknown = self.index.after_unknown(address)
        planned_names = [
            entry.get("name")
            for attribute in ENTRY_ATTRIBUTES
            for entry in as_list(values.get(attribute))
            if isinstance(entry, dict)
        ]
        configs = self._entry_configs(address, [name for name in planned_names if isinstance(name, str)])
        prefix = instance_prefix(address)
        entries = []
        for attribute in ENTRY_ATTRIBUTES:
            unknown_entries = as_list(unknown.get(attribute))
            for position, entry in enumerate(as_list(values.get(attribute))):
                if not isinstance(entry, dict):
                    continue
                name = entry.get("name")
                if not isinstance(name, str):
                    entries.append(
                        RegionEntry(Unknown("a Region entry name is known only after apply"), Unknown("not resolved"))
                    )
                    continue
                key_unknown = (
                    position < len(unknown_entries)
                    and isinstance(unknown_entries[position], dict)
                    and unknown_entries[position].get("kms_key_arn") is True
                )
                key_ref = self.entry_keys.key_ref(entry, configs.get(name), key_unknown, prefix)
                entries.append(RegionEntry(name, key_ref))
        return entries

    def _entry_configs(self, address: str, planned_names: list[str]) -> dict[str, dict[str, Any]]:
        """Configuration blocks of the Region entries, by their Region name (a literal, a root variable,
        a data "aws_region"). The plan's configuration shows static blocks only, not dynamic ones.

        One block whose name the plan does not carry (a local) is joined to the one planned entry
        left over, when the static blocks are all the entries there are: never by position.
        """
        config = self.index.config_of(address)
        prefix = instance_prefix(address)
        blocks: dict[str, dict[str, Any]] = {}
        unnamed = []
        for attribute in ENTRY_ATTRIBUTES:
            for block in as_list(config.expressions.get(attribute) if config else None):
                name = self.regions.string_of(as_dict(block).get("name"), prefix) if isinstance(block, dict) else None
                if isinstance(name, str):
                    blocks[name] = block
                elif isinstance(block, dict):
                    unnamed.append(block)
        left_over = [name for name in planned_names if name not in blocks]
        if len(unnamed) == 1 and len(left_over) == 1 and len(planned_names) == len(blocks) + 1:
            blocks[left_over[0]] = unnamed[0]
        return blocks


class PlanEntryKeys:
    """How a planned Region entry names its key: the planned value, or the configuration's references."""

    def __init__(self, references: PlanReferences, keys: dict[str, KmsKey]) -> None:
        self.references = references
        self.keys = keys

    def key_ref(
        self, entry: dict[str, Any], config: dict[str, Any] | None, unknown: bool, prefix: str
    ) -> KeyRef | Unknown | None:
        if config is not None and "kms_key_arn" not in config:
            return None  # no key in the configuration: the AWS owned key (the provider says DefaultKey)
        references = references_of(as_dict(config).get("kms_key_arn"))
        keys = self.references.resources_behind(references, prefix)
        if not unknown:
            return self._planned_key_ref(entry.get("kms_key_arn"), references, keys, prefix)
        if len(keys) == 1 and keys[0] in self.keys:
            key = self.keys[keys[0]]
            return KeyRef(references[0], self.references.naming(references, prefix), key=key, region=key.region)
        if config is None:
            return Unknown("the entry's configuration is not in the plan")
        text = references[0] if references else "an expression"
        return KeyRef(
            text, self.references.naming(references, prefix), region=Unknown(f"{text} is known only after apply")
        )

    def _planned_key_ref(
        self, value: Any, references: list[str], keys: list[str], prefix: str
    ) -> KeyRef | Unknown | None:
        """A key known at plan time: its literal value, named as the configuration's reference names it."""
        if value in (None, "", "DefaultKey"):
            return None
        if not isinstance(value, str):
            return Unknown(f"kms_key_arn is not a string ({type(value).__name__})")
        key_ref = key_ref_from_literal(value)
        naming = self.references.naming(references, prefix)
        if not isinstance(naming, Unknown):  # a key reference known at plan time (an existing key): its form decides
            key_ref.naming = naming
        key_ref.key = self.keys.get(keys[0]) if len(keys) == 1 else None
        return key_ref
