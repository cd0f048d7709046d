"""A ``terraform show -json`` plan indexed once: planned, prior and changed resources, the configuration.

Plans come from anywhere: an element of the wrong shape reads as empty, never as an error.
A planned value known only after apply is an ``Unknown``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ckv_im.model import Unknown, Value
from ckv_im.rendered_values import clean

_INDEX = re.compile(r"\[[^\]]*\]")


def as_dict(value: Any) -> dict[str, Any]:
    """A plan element that should be an object; anything else reads as empty (plans come from anywhere)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _by_address(items: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """Resources (planned, prior or changed) by address; entries without a string address and type are skipped."""
    return {
        item["address"]: item
        for item in items
        if isinstance(item, dict) and isinstance(item.get("address"), str) and isinstance(item.get("type"), str)
    }


def _module_resources(module: Any) -> Iterator[dict[str, Any]]:
    """Resources of a planned_values / prior_state module and of its child modules."""
    stack = [module]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict):
            continue
        yield from (r for r in as_list(current.get("resources")) if isinstance(r, dict))
        stack.extend(as_list(current.get("child_modules")))


@dataclass
class ConfigResource:
    prefix: str  # "" or "module.a.module.b." (module calls, without instance keys)
    body: dict[str, Any]

    @property
    def expressions(self) -> dict[str, Any]:
        expressions = self.body.get("expressions")
        return expressions if isinstance(expressions, dict) else {}


@dataclass
class ConfigModule:
    prefix: str
    body: dict[str, Any]


def steps_of(reference: str) -> list[str]:
    """``module.k["a.b"].key_arn`` -> ``module``, ``k["a.b"]``, ``key_arn``: dots inside index keys stay."""
    return re.findall(r'[^.\[]+(?:\[(?:"[^"]*"|[^\]]*)\])*', reference)


def instance_prefix(address: str) -> str:
    """``module.k["a"].aws_kms_key.x[0]`` -> ``module.k["a"].``: the module instance path of a resource."""
    steps = steps_of(address)
    length = 0
    while length + 1 < len(steps) and steps[length] == "module":
        length += 2
    return "".join(f"{step}." for step in steps[:length])


def config_address(address: str) -> str:
    """``module.k["a"].aws_kms_key.k[0]`` -> ``module.k.aws_kms_key.k``: the configuration's address."""
    return _INDEX.sub("", address)


def references_of(expression: Any) -> list[str]:
    """The references a configuration expression lists (a traversal and its prefixes)."""
    if not isinstance(expression, dict):
        return []
    references = expression.get("references")
    return [r for r in references if isinstance(r, str)] if isinstance(references, list) else []


@dataclass
class PlanIndex:
    planned: dict[str, dict[str, Any]] = field(default_factory=dict)  # address -> planned resource
    prior: dict[str, dict[str, Any]] = field(default_factory=dict)  # address -> prior-state resource
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)  # address -> resource_changes entry
    config: dict[str, ConfigResource] = field(default_factory=dict)
    modules: dict[str, ConfigModule] = field(default_factory=dict)  # "module.a." -> module body
    providers: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)

    def values(self, address: str) -> dict[str, Any]:
        values = self.planned.get(address, {}).get("values")
        return values if isinstance(values, dict) else {}

    def change(self, address: str) -> dict[str, Any]:
        """The ``change`` of a resource_changes entry: actions, before, after, after_unknown."""
        return as_dict(as_dict(self.changes.get(address)).get("change"))

    def after_unknown(self, address: str) -> dict[str, Any]:
        unknown = self.change(address).get("after_unknown")
        return unknown if isinstance(unknown, dict) else {}

    def value(self, address: str, name: str, default: Any = None) -> Value:
        """A planned attribute: its value, the default when null, or Unknown when known only after apply."""
        if self.after_unknown(address).get(name) is True:
            return Unknown(f"{address}.{name} is known only after apply")
        value = self.values(address).get(name)
        return default if value is None else clean(value)

    def config_of(self, address: str) -> ConfigResource | None:
        return self.config.get(config_address(address))


def index_plan(document: dict[str, Any]) -> PlanIndex:
    index = PlanIndex()
    planned_values = as_dict(document.get("planned_values"))
    index.planned = _by_address(_module_resources(planned_values.get("root_module")))
    prior_values = as_dict(as_dict(document.get("prior_state")).get("values"))
    index.prior = _by_address(_module_resources(prior_values.get("root_module")))
    index.changes = _by_address(as_list(document.get("resource_changes")))
    configuration = as_dict(document.get("configuration"))
    index.providers = as_dict(configuration.get("provider_config"))
    index.variables = {
        name: as_dict(v).get("value") for name, v in as_dict(document.get("variables")).items() if isinstance(v, dict)
    }
    stack = [("", configuration.get("root_module"))]
    while stack:
        prefix, module = stack.pop()
        if not isinstance(module, dict):
            continue
        index.modules[prefix] = ConfigModule(prefix, module)
        for resource in as_list(module.get("resources")):
            if isinstance(resource, dict) and isinstance(resource.get("address"), str):
                index.config[prefix + resource["address"]] = ConfigResource(prefix, resource)
        for name, call in as_dict(module.get("module_calls")).items():
            if isinstance(call, dict):
                stack.append((f"{prefix}module.{name}.", call.get("module")))
    return index
