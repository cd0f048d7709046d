"""Terraform values as the tools hand them over: Checkov's rendered configuration, python-hcl2, plan JSON.

Shared by the HCL and plan adapters. Checkov and python-hcl2 wrap every attribute
value in a one-element list, and a plan writes each nested block as a list; a string
that is still an expression (``${var.x}``, ``local.y``) is not a value: it becomes an
``UnknownTemplate``, never a guess.
"""

from __future__ import annotations

from typing import Any

from ckv_im.hcl_expressions import looks_unrendered
from ckv_im.model import Unknown, UnknownTemplate, is_unknown

MAX_NESTING = 64


def unwrap(value: Any) -> Any:
    """Checkov and python-hcl2 wrap every attribute value in a one-element list."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def clean(value: Any, depth: int = 0) -> Any:
    """A rendered structure with every string Checkov could not render replaced by an Unknown."""
    if depth > MAX_NESTING:
        return Unknown("structure nested too deeply")
    if isinstance(value, str):
        return UnknownTemplate(value) if looks_unrendered(value) else value
    if isinstance(value, dict):
        return {k: clean(v, depth + 1) for k, v in value.items() if not (isinstance(k, str) and k.startswith("__"))}
    if isinstance(value, list):
        return [clean(v, depth + 1) for v in value]
    return value


def contains_unknown(value: Any, depth: int = 0) -> bool:
    if is_unknown(value) or depth > MAX_NESTING:
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v, depth + 1) for v in value)
    return False


def dig(config: Any, path: str) -> Any:
    """``incident_template.title`` of a configuration whose blocks are one-element lists."""
    value = config
    for step in path.split("."):
        value = unwrap(value)
        if not isinstance(value, dict) or step not in value:
            return None
        value = value[step]
    return unwrap(value)


def blocks_of(value: Any) -> list[dict[str, Any]]:
    """The nested blocks of a configuration value: one block, or a list of them."""
    if isinstance(value, dict):
        return [value]
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
