"""What a plan's configuration expressions lead to: Regions of providers, and resources behind references.

Values that depend on resources not yet created are unknown in a plan ("known after
apply"); they are resolved through the ``configuration`` section: each expression's
``references``, each resource's resolved ``provider_config_key``, the providers'
``region`` expressions and the plan's ``variables`` (docs/semantics.md#key-region).
Locals are not in a plan's configuration: they are not followed.
"""

from __future__ import annotations

from typing import Any

from ckv_im.model import Resolved, Unknown
from ckv_im.plan_index import PlanIndex, as_dict, config_address, instance_prefix, references_of, steps_of
from ckv_im.terraform_types import KEY_TYPES, KMS_ALIAS, REGION_ATTRIBUTES, naming_of

MAX_REFERENCE_DEPTH = 16
REGION_ARGUMENTS = ("region", "name", "endpoint")  # data "aws_region" arguments that choose a Region


class PlanRegions:
    def __init__(self, index: PlanIndex) -> None:
        self.index = index

    def region_of(self, address: str) -> Resolved[str]:
        """A resource's Region: its own ``region`` argument (provider v6), else its provider's."""
        return self.index.value(address, "region") or self.provider_region(address)

    def provider_region(self, address: str, depth: int = 0) -> Resolved[str]:
        config = self.index.config_of(address)
        key = config.body.get("provider_config_key") if config else None
        provider = self.index.providers.get(key) if isinstance(key, str) else None
        if not isinstance(provider, dict):
            return Unknown(f"the provider of {address} is not in the plan's configuration")
        expression = as_dict(provider.get("expressions")).get("region")
        if not isinstance(expression, dict):
            return Unknown(f"provider {key} sets no region (it comes from the environment)")
        region = self.string_of(expression, "", depth)  # providers are configured in the root module
        return region if region is not None else Unknown(f"the region of provider {key} is not resolved")

    def string_of(self, expression: Any, prefix: str, depth: int = 0) -> str | None:
        """A string expression's value where the plan carries it: a constant, a root variable, or a
        data "aws_region" (its value in the plan, else the Region of its provider). None otherwise."""
        expression = as_dict(expression)
        if isinstance(expression.get("constant_value"), str):
            return expression["constant_value"]
        for reference in references_of(expression):
            parts = steps_of(reference)
            root_variable = self.index.variables.get(parts[1]) if parts[0] == "var" and len(parts) == 2 else None
            if not prefix and isinstance(root_variable, str):
                return root_variable
            if parts[:2] == ["data", "aws_region"] and len(parts) == 4 and parts[3] in REGION_ATTRIBUTES:
                region = self._data_region(f"{prefix}data.aws_region.{parts[2]}", parts[3], depth + 1)
                if region is not None:
                    return region
        return None

    def _data_region(self, address: str, attribute: str, depth: int) -> str | None:
        """A data "aws_region" as Terraform read it during the plan, else its provider's Region
        (docs/semantics.md#key-region)."""
        for resources in (self.index.prior, self.index.planned):
            value = as_dict(as_dict(resources.get(address)).get("values")).get(attribute)
            if isinstance(value, str):
                return value
        config = self.index.config_of(address)
        if (
            depth > MAX_REFERENCE_DEPTH
            or config is None
            or any(argument in config.expressions for argument in REGION_ARGUMENTS)
        ):
            return None  # a Region chosen in the data source itself, not read: unknown
        region = self.provider_region(address, depth + 1)
        return region if isinstance(region, str) else None


class PlanReferences:
    """The resources an expression's references lead to, through module outputs (and for keys, aliases)."""

    def __init__(self, index: PlanIndex) -> None:
        self.index = index

    def referenced_keys(self, address: str, attribute: str) -> list[str]:
        config = self.index.config_of(address)
        if config is None:
            return []
        return self.resources_behind(references_of(config.expressions.get(attribute)), instance_prefix(address))

    def resources_behind(
        self, references: list[str], prefix: str, types: tuple[str, ...] = KEY_TYPES, depth: int = 0
    ) -> list[str]:
        """Addresses of the resources of ``types`` an expression's references lead to (through module
        outputs, and for keys through aliases). Locals are not in a plan's configuration: not followed."""
        found: list[str] = []
        for reference in references:
            found += self._follow(reference, prefix, types, depth)
        return list(dict.fromkeys(found))

    def _follow(self, reference: str, prefix: str, types: tuple[str, ...], depth: int) -> list[str]:
        """``prefix`` is the module instance path of the expression, e.g. ``module.k["a"].``."""
        parts = steps_of(reference)
        if depth > MAX_REFERENCE_DEPTH or len(parts) < 2:
            return []
        if parts[0] == "module" and len(parts) >= 3:
            instance = f"{prefix}module.{parts[1]}."
            return self.resources_behind(self._output_references(instance, parts[2]), instance, types, depth + 1)
        if parts[0] in types:
            # Terraform lists a traversal and its prefixes (aws_kms_key.k["a"].arn, aws_kms_key.k["a"],
            # aws_kms_key.k): keep only what names a planned instance.
            address = f"{prefix}{parts[0]}.{parts[1]}"
            return [address] if address in self.index.planned else []
        if parts[0] == KMS_ALIAS and types == KEY_TYPES:
            alias = self.index.config.get(config_address(f"{prefix}{KMS_ALIAS}.{parts[1]}"))
            if alias is not None:
                return self.resources_behind(
                    references_of(alias.expressions.get("target_key_id")), prefix, types, depth + 1
                )
        return []

    def _output_references(self, instance: str, output_name: str) -> list[str]:
        """The references of a module output's expression (``instance`` is the module call's path)."""
        module = self.index.modules.get(config_address(instance))
        output = as_dict(as_dict(module.body.get("outputs")).get(output_name)) if module else {}
        return references_of(output.get("expression"))

    def naming(self, references: list[str], prefix: str, depth: int = 0) -> Resolved[str]:
        """How an entry's expression names its key (CKV_IM_14), following module outputs."""
        for reference in references:
            parts = steps_of(reference)
            if len(parts) == 3 and parts[0] == "module" and depth < MAX_REFERENCE_DEPTH:
                instance = f"{prefix}module.{parts[1]}."
                return self.naming(self._output_references(instance, parts[2]), instance, depth + 1)
            if len(parts) == 3 and (parts[0] in KEY_TYPES or parts[0] == KMS_ALIAS):
                return naming_of(parts[0], parts[2], reference)
        return Unknown("the expression does not name a key attribute")
