"""Replication sets of a Terraform scan: their Region entries and how each names its key (docs/semantics.md#terms).

``region`` blocks (provider v5) and ``regions`` blocks (provider v6) are both read,
static and dynamic ones, in the order they are written.
"""

from __future__ import annotations

from ckv_im.arns import classify_key_template
from ckv_im.model import KeyRef, RegionEntry, ReplicationSet, Resolved, Unknown, UnknownTemplate
from ckv_im.terraform_attributes import prevent_destroy
from ckv_im.terraform_dynamic_blocks import NestedBlock, NestedBlocks
from ckv_im.terraform_graph import MISSING, Block
from ckv_im.terraform_keys import KeyLookup
from ckv_im.terraform_references import DataRef, Literal, Ref, Resolution, expression_text, string_or_unknown
from ckv_im.terraform_resolver import Resolver
from ckv_im.terraform_types import key_ref_from_literal, naming_of


class ReplicationSetReader:
    def __init__(self, resolver: Resolver, nested_blocks: NestedBlocks, lookup: KeyLookup) -> None:
        self.resolver = resolver
        self.nested_blocks = nested_blocks
        self.lookup = lookup

    def replication_set(self, block: Block) -> ReplicationSet:
        return ReplicationSet(
            name=block.address,
            resource_type=block.type,
            entries=self._entries(block),
            provider_region=self.resolver.regions.provider_region(block),
            deletion_guard=prevent_destroy(block),
        )

    def _entries(self, block: Block) -> Resolved[list[RegionEntry]]:
        entries = [
            self._entry(nested)
            for attribute in ("region", "regions")  # provider v5 and v6 names
            for nested in self.nested_blocks.of(block, attribute)
        ]
        if not entries:  # Terraform requires one at least: a dynamic block over an empty collection, say
            return Unknown("the replication set has no Region entries")
        if all(entry.line for entry in entries):  # static and dynamic blocks in the order they are written
            entries.sort(key=lambda entry: entry.line or 0)
        return entries

    def _entry(self, nested: NestedBlock) -> RegionEntry:
        if nested.unresolved is not None:  # entries of a dynamic block not expanded: how many, and which, is unknown
            return RegionEntry(nested.unresolved, Unknown(nested.unresolved.reason), nested.line)
        ctx = nested.ctx
        name = string_or_unknown(self.resolver.resolve(*nested.pair("name"), ctx), "Region entry name")
        if isinstance(name, Unknown):  # details lines name the entry by its expression as written
            name = Unknown(name.reason, expression=nested.describe(expression_text(*nested.pair("name"))))
        raw_key, rendered_key = nested.pair("kms_key_arn")
        if raw_key is MISSING and rendered_key is MISSING:
            return RegionEntry(name, None, nested.line)
        resolved = self.resolver.resolve(raw_key, rendered_key, ctx)
        if ctx.bindings and isinstance(resolved, (Ref, DataRef)):  # aws_kms_key.k["us-east-1"].arn
            text = resolved.text
        else:
            text = nested.describe(expression_text(raw_key, rendered_key))
        return RegionEntry(name, self._key_ref(resolved, text), nested.line)

    def _key_ref(self, resolved: Resolution, text: str) -> KeyRef | Unknown | None:
        if isinstance(resolved, Literal):
            if resolved.value in (None, "DefaultKey"):
                return None
            if not isinstance(resolved.value, str):
                return Unknown(f"{text} is not a string")
            return key_ref_from_literal(resolved.value)
        if isinstance(resolved, UnknownTemplate):  # "arn:aws:kms:${data.aws_region.west.name}:${local.account}:key/..."
            classified = classify_key_template(resolved.text)
            if classified is not None:
                return KeyRef(text, classified[0], region=classified[1])
        if isinstance(resolved, DataRef):
            return KeyRef(
                text,
                naming_of(resolved.type, resolved.attribute, resolved.text),
                region=Unknown(f"{resolved.text} is a data source lookup"),
            )
        if isinstance(resolved, Ref):
            key = self.lookup.key_of(resolved)
            region = key.region if key else Unknown(f"{resolved.text} does not lead to a key in the scan")
            return KeyRef(text, naming_of(resolved.type, resolved.attribute, resolved.text), key=key, region=region)
        return resolved  # Unknown: the value could be anything, null included
