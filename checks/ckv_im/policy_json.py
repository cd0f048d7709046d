"""A key policy written as JSON text or as a structure, read into the model's policy document.

Shared by the HCL and plan adapters (CloudFormation templates hold their policies as
structures already). A policy that cannot be read is an ``Unknown`` with the reason.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ckv_im.model import Resolved, Unknown, is_unknown
from ckv_im.rendered_values import clean

MAX_POLICY_BYTES = 1024 * 1024


def parse_policy(value: Any) -> Resolved[dict[str, Any]]:
    if value is None:
        return Unknown("the policy is null")
    if isinstance(value, dict):
        return clean(value)
    if is_unknown(value):
        return value
    if isinstance(value, str):
        if len(value) > MAX_POLICY_BYTES:
            return Unknown("the policy is too large to evaluate")
        document = _json_object(value)
        if document is None:
            document = _json_object(_unescape_hcl_string(value))  # a quoted HCL string keeps its \" escapes
        if document is None:
            return (
                Unknown("the policy is not valid JSON")
                if "${" not in value
                else Unknown("the policy interpolates values the pack does not evaluate")
            )
        return clean(document)
    return Unknown("the policy is not a JSON document")


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


_HCL_ESCAPES = {'\\"': '"', "\\\\": "\\", "\\n": "\n", "\\t": "\t", "\\r": "\r"}


def _unescape_hcl_string(text: str) -> str:
    """python-hcl2 leaves the escapes of a quoted string as written (\\" for a quote)."""
    return re.sub(r'\\["\\ntr]', lambda match: _HCL_ESCAPES[match.group(0)], text)
