"""The Region of a Terraform resource (docs/semantics.md#key-region).

A resource-level ``region`` argument (provider v6), else the Region of its provider:
``provider = aws.<alias>``, the provider a module call hands over in ``providers``
(through every level of nesting), or the default ``aws`` provider. ``data "aws_region"``
is the Region of its provider, unless it selects one itself. No lookup is made.
"""

from __future__ import annotations

from typing import Any

from ckv_im.hcl_expressions import parse_traversal, reference_in
from ckv_im.model import Resolved, Unknown
from ckv_im.rendered_values import unwrap
from ckv_im.terraform_graph import MISSING, Block, split_scope
from ckv_im.terraform_references import MAX_DEPTH, Context, Literal, Resolution, Resolving, string_or_unknown


class ProviderRegions:
    def __init__(self, resolver: Resolving) -> None:
        self.resolver = resolver
        self.index = resolver.index

    def region_of_resource(self, block: Block) -> Resolved[str]:
        raw, rendered = block.attribute("region")  # provider v6: a resource-level region argument
        if rendered is not MISSING or raw is not MISSING:
            return string_or_unknown(self.resolver.resolve(raw, rendered, Context.of(block)), "region argument")
        return self.provider_region(block)

    def data_region(self, block: Block, text: str, depth: int) -> Resolution:
        """``data.aws_region.x.name``: the Region the data source selects (v6 ``region`` or v5 ``name``
        argument), else the Region of the provider it is configured with. No lookup is made."""
        for argument in ("region", "name"):
            raw, rendered = block.attribute(argument)
            if raw is not MISSING or rendered is not MISSING:
                return self.resolver.resolve(raw, rendered, Context.of(block), depth + 1)
        if block.attribute("endpoint") != (MISSING, MISSING):
            return Unknown(f"{text}: data.aws_region selects its Region by endpoint", expression=text)
        region = self.provider_region(block, depth + 1)
        return Literal(region) if isinstance(region, str) else Unknown(region.reason, expression=text)

    def provider_address(self, block: Block) -> str | None:
        """The root-module provider a resource uses, following ``providers`` maps of module calls.

        Checkov's own ``__provider_address__`` loses the chain for nested modules,
        so the chain is followed here from the raw HCL.
        """
        raw, rendered = block.attribute("provider")
        name = _provider_name(raw if raw is not MISSING else rendered) or "aws"
        scope = block.scope
        for _ in range(64):
            if not scope:
                return "aws.default" if name == "aws" else name
            parent, module_name = split_scope(scope)
            call = self.index.module_calls.get((parent, module_name))
            if call is None:
                return None
            raw_map, rendered_map = call.attribute("providers")
            mapping = unwrap(raw_map if raw_map is not MISSING else rendered_map)
            caller_name: str | None = name  # what the calling module names this provider
            if isinstance(mapping, dict):
                caller_name = _provider_name(mapping.get(name)) if name in mapping else (None if "." in name else name)
            elif "." in name:
                return None  # an aliased provider must be passed explicitly
            if caller_name is None:
                return None
            name, scope = caller_name, parent
        return None

    def provider_region(self, block: Block, depth: int = 0) -> Resolved[str]:
        if depth > MAX_DEPTH:  # a provider Region given by a data source of the same provider: a cycle
            return Unknown("the provider Region depends on itself")
        provider_address = self.provider_address(block)
        provider = self.index.providers.get(provider_address) if provider_address else None
        if provider is None:
            return Unknown("no aws provider configuration in the scan for this resource")
        raw, rendered = provider.attribute("region")
        if raw is MISSING and rendered is MISSING:
            return Unknown(f"provider {provider_address} sets no region (it comes from the environment)")
        return string_or_unknown(
            self.resolver.resolve(raw, rendered, Context.of(provider), depth + 1),
            f"region of provider {provider_address}",
        )


def _provider_name(value: Any) -> str | None:
    """``aws.west`` from ``${aws.west}`` (raw HCL) or ``aws.west`` (rendered)."""
    value = unwrap(value)
    if not isinstance(value, str):
        return None
    traversal = reference_in(value) or parse_traversal(value.strip())
    if traversal is None or len(traversal.steps) > 2 or traversal.root != "aws":
        return None
    return traversal.text
