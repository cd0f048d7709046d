"""Properties of a CloudFormation resource read as the model holds them: strings, Booleans, tags, retention."""

from __future__ import annotations

from typing import Any

from ckv_im.cloudformation_types import RETAINING_POLICIES, at_path
from ckv_im.cloudformation_values import TemplateValues, shown
from ckv_im.model import Resolved, Unknown, Value, is_unknown


class PropertyReader:
    def __init__(self, values: TemplateValues) -> None:
        self.values = values

    def text(self, node: Any, default: str) -> Resolved[str]:
        if node is None:
            return default
        value = self.values.value(node)
        if isinstance(value, str) or is_unknown(value):
            return value
        return Unknown(f"{shown(node)} is not a string")

    def flag(self, node: Any, default: bool) -> Resolved[bool]:
        """A Boolean property: CloudFormation takes true/false and the strings "true"/"false"."""
        if node is None:
            return default
        value = self.values.value(node)
        if value is None:
            return default  # AWS::NoValue
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return value if is_unknown(value) else Unknown(f"{shown(node)} is not a Boolean")

    def retained(self, resource: dict[str, Any]) -> Resolved[bool]:
        """DeletionPolicy Retain or RetainExceptOnCreate keeps the resource when it or its stack is deleted."""
        node = at_path(resource, "DeletionPolicy")
        if node is None:
            return False
        value = self.values.value(node)
        if is_unknown(value):
            return value
        return isinstance(value, str) and value in RETAINING_POLICIES

    def tags(self, node: Any) -> Resolved[dict[str, Value]]:
        """A Tags list ([{Key, Value}]) as a dict; tags whose key is not resolved are left out."""
        if node is None:
            return {}
        value = self.values.value(node)
        if is_unknown(value):
            return value
        if not isinstance(value, list):
            return Unknown(f"Tags {shown(node)} is not a list of tags")
        tags = {}
        for tag in value:
            if isinstance(tag, dict) and isinstance(tag.get("Key"), str):
                tags[tag["Key"]] = tag.get("Value")
        return tags
