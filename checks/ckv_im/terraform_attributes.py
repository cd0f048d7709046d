"""Resource attributes every part of the HCL model builder reads the same way: Booleans, the deletion guard, tags."""

from __future__ import annotations

from typing import Any

from ckv_im.model import Resolved, Unknown, Value, is_unknown
from ckv_im.rendered_values import clean, unwrap
from ckv_im.terraform_graph import Block


def boolean(value: Any) -> Resolved[bool]:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if isinstance(value, (bool, Unknown)):
        return value
    return Unknown(f"{value!r} is not a boolean")


def prevent_destroy(block: Block) -> Resolved[bool]:
    """``lifecycle { prevent_destroy = true }``: the resource is guarded against deletion."""
    lifecycle = unwrap(block.conf.get("lifecycle"))
    if not isinstance(lifecycle, dict):
        return False
    return boolean(unwrap(lifecycle.get("prevent_destroy", False)))


def tags_of(block: Block) -> Resolved[dict[str, Value]]:
    tags = unwrap(block.conf.get("tags"))
    if tags is None:
        return {}
    tags = clean(tags)
    return tags if isinstance(tags, dict) or is_unknown(tags) else Unknown("tags are not a map")
