"""What a literal KMS key identifier is, and which Region it names.

kms_key_arn / SseKmsKeyId may hold a key ARN, a key ID, a multi-Region key ID
(``mrk-...``), an alias name (``alias/...``) or an alias ARN. Only the ARNs
carry a Region.
"""

from __future__ import annotations

import re
from typing import Any

from ckv_im.model import Unknown

_ARN = re.compile(r"arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(key|alias)/(\S+)")
_KEY_ID = re.compile(r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})", re.I)


def classify_key_identifier(value: str) -> tuple[str, Any]:
    """(naming, Region): naming is key_arn, alias_arn, key_id, alias_name or other."""
    text = value.strip()
    match = _ARN.fullmatch(text)
    if match:
        return ("key_arn" if match.group(4) == "key" else "alias_arn"), match.group(2)
    if _KEY_ID.fullmatch(text):
        return "key_id", Unknown(f"key ID {text} names no Region")
    if text.startswith("alias/"):
        return "alias_name", Unknown(f"alias name {text} names no Region")
    return "other", Unknown(f"{text[:80]} is not a KMS key identifier")


# A key or alias ARN some of whose parts are known only later, with its Region written out:
# arn:${data.aws_partition.p.partition}:kms:us-west-2:${local.account}:key/${var.key_id}
_ARN_TEMPLATE = re.compile(r"arn:[^:]*:kms:([a-z]{2}(?:-[a-z]+)+-\d):[^:]*:(key|alias)/.+")


def classify_key_template(text: str) -> "tuple[str, str] | None":
    """(naming, Region) of a partly resolved ARN template (``${...}`` for its unknown parts), or None
    when its Region or resource type is not written out."""
    match = _ARN_TEMPLATE.fullmatch(text.strip())
    if not match:
        return None
    return ("key_arn" if match.group(2) == "key" else "alias_arn"), match.group(1)


# An SNS topic ARN whose Region and name are written out; the partition and account may be
# parts known only later (``${data.aws_caller_identity.current.account_id}``).
_SNS_TOPIC_ARN = re.compile(r"arn:[^:]*:sns:([a-z]{2}(?:-[a-z]+)+-\d):[^:]*:([A-Za-z0-9_-]{1,256})")


def sns_topic_arn_parts(text: str) -> "tuple[str, str] | None":
    """(Region, topic name) of an SNS topic ARN, literal or partly resolved; None otherwise."""
    match = _SNS_TOPIC_ARN.fullmatch(text.strip())
    return (match.group(1), match.group(2)) if match else None
