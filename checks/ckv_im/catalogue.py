"""The CKV_IM rule catalogue: IDs, titles, severities and guideline links.

The IDs and severities are the contract of ``../shared/spec/RULES.md``; every
engine shell (Checkov, later cfn-lint and Rego) takes them from here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str
    severity: str  # HIGH, MEDIUM or LOW


_RULES = (
    RuleInfo("CKV_IM_1", "Ensure the Incident Manager KMS key is a symmetric encryption key", "HIGH"),
    RuleInfo("CKV_IM_2", "Ensure the Incident Manager KMS key has no imported key material and no custom key store", "HIGH"),
    RuleInfo("CKV_IM_3", "Ensure every replication set Region entry uses a KMS key in that same Region", "HIGH"),
    RuleInfo("CKV_IM_4", "Ensure a replication set uses customer managed keys in all Region entries or in none", "MEDIUM"),
    RuleInfo("CKV_IM_5", "Ensure the provider Region of a replication set is one of its Regions", "MEDIUM"),
    RuleInfo("CKV_IM_6", "Ensure the replication set is guarded against deletion", "MEDIUM"),
    RuleInfo("CKV_IM_7", "Ensure the Incident Manager key policy grants Incident Manager its required access", "HIGH"),
    RuleInfo("CKV_IM_8", "Ensure the Incident Manager key policy statement names no wildcard principal", "HIGH"),
    RuleInfo("CKV_IM_9", "Ensure the Incident Manager KMS key is enabled and guarded against deletion", "MEDIUM"),
    RuleInfo("CKV_IM_10", "Ensure no e-mail addresses or phone numbers are in Incident Manager tags and name fields", "MEDIUM"),
    RuleInfo("CKV_IM_11", "Ensure no credentials are inside URLs of Incident Manager resources", "HIGH"),
    RuleInfo("CKV_IM_12", "Ensure SNS topics used by a response plan are encrypted with KMS", "MEDIUM"),
    RuleInfo("CKV_IM_13", "Ensure every replication set Region entry uses a customer managed key", "LOW"),
    RuleInfo("CKV_IM_14", "Ensure every replication set Region entry names its KMS key by key ARN", "MEDIUM"),
    RuleInfo("CKV_IM_15", "Ensure the plan does not destroy, replace or re-key a replication set", "HIGH"),
    RuleInfo("CKV_IM_16", "Ensure the plan does not delete or disable a KMS key a replication set still uses", "HIGH"),
)
RULES: dict[str, RuleInfo] = {rule.id: rule for rule in _RULES}

# Where the rule pages live. CKV_IM_GUIDELINE_BASE lets a team point Checkov's
# "Guide:" links and SARIF help URIs at its own copy of docs/rules/.
GUIDELINE_BASE_ENV = "CKV_IM_GUIDELINE_BASE"
_DOCS_DIR = Path(__file__).resolve().parent.parent.parent / "docs" / "rules"


def guideline_url(rule_id: str) -> str:
    base = os.environ.get(GUIDELINE_BASE_ENV)
    if base:
        return f"{base.rstrip('/')}/{rule_id}.md"
    page = _DOCS_DIR / f"{rule_id}.md"
    if page.is_file():
        return page.as_uri()
    return f"docs/rules/{rule_id}.md"
