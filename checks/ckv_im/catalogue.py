"""The CKV_IM rule registry: one entry per rule, and every engine reads its facts from here.

An entry carries what users and engines need to know of a rule: its ID (fixed
forever: users write it in ``--check``, skip comments and exception lists), title,
severity, the rule function, what it reports on (its ``Subject``) and the engines
it applies to. Each engine maps a subject to its own resource types; its shell
files (``checks/terraform/``, ``checks/cloudformation/``, ``checks/cfn_lint/``,
``policies/``) only name the rule ID. ``tests/pack/test_registry.py`` lists every piece
a rule still lacks: a shell per engine, its page, fixtures with both verdicts.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ckv_im.model import Result, ScanModel, Subject


class Engine(StrEnum):
    """Where a rule runs. The values are the engine names of ``fixtures/expected_results.yaml``."""

    TERRAFORM = "terraform"  # Checkov on Terraform HCL
    TERRAFORM_PLAN = "terraform_plan"  # Checkov on Terraform plan JSON
    CLOUDFORMATION = "cloudformation"  # Checkov on CloudFormation (and Serverless resources:)
    CFN_LINT = "cfn_lint"  # cfn-lint with the pack's rules
    REGO_PLAN = "rego_plan"  # the Rego policies (policies/) on Terraform plan JSON, with OPA or conftest
    REGO_CLOUDFORMATION = "rego_cloudformation"  # the same Rego policies on CloudFormation templates (JSON)


class Category(StrEnum):
    """What a rule protects; Checkov shows it as the check's category."""

    ENCRYPTION = "ENCRYPTION"
    BACKUP_AND_RECOVERY = "BACKUP_AND_RECOVERY"
    IAM = "IAM"
    GENERAL_SECURITY = "GENERAL_SECURITY"
    SECRETS = "SECRETS"


RuleFunction = Callable[[Any, ScanModel], Result]

_CONFIGURATION = frozenset(Engine)
_TERRAFORM_ONLY = frozenset({Engine.TERRAFORM, Engine.TERRAFORM_PLAN, Engine.REGO_PLAN})
_PLAN_ONLY = frozenset({Engine.TERRAFORM_PLAN, Engine.REGO_PLAN})


@dataclass(frozen=True)
class Rule:
    id: str
    title: str  # Checkov's check name: "Ensure ..."
    summary: str  # the rule in a few words, for the rule tables
    severity: str  # HIGH, MEDIUM or LOW
    subject: Subject  # what the rule reports on
    function_name: str  # the rule function, in ckv_im.rules
    engines: frozenset[Engine]
    slug: str  # the shell files are named <id>_<slug>.py (and .rego)
    category: Category = Category.ENCRYPTION
    # Engines that cannot see what a PASSED needs, so the rule only ever fails or stays UNKNOWN there
    fails_only_on: frozenset[Engine] = frozenset()

    @property
    def function(self) -> RuleFunction:
        """The rule function. ``ckv_im.rules`` is imported on first use: Checkov loads the pack's check
        files in every framework's process, and most of them never run a rule."""
        rules = sys.modules.get("ckv_im.rules") or importlib.import_module("ckv_im.rules")  # asked on every check call
        function: RuleFunction = getattr(rules, self.function_name)
        return function

    @property
    def number(self) -> int:
        return int(self.id.rsplit("_", 1)[1])

    @property
    def file_stem(self) -> str:
        return f"{self.id}_{self.slug}"

    def runs_on(self, engine: Engine) -> bool:
        return engine in self.engines


_RULES = (
    Rule(
        "CKV_IM_1",
        "Ensure the Incident Manager KMS key is a symmetric encryption key",
        "The key is a symmetric encryption key",
        "HIGH",
        Subject.KEY,
        "symmetric_encryption_key",
        _CONFIGURATION,
        "symmetric_key",
    ),
    Rule(
        "CKV_IM_2",
        "Ensure the Incident Manager KMS key has no imported key material and no custom key store",
        "No imported key material, no custom key store",
        "HIGH",
        Subject.KEY,
        "no_imported_material_or_custom_store",
        _CONFIGURATION,
        "key_material",
    ),
    Rule(
        "CKV_IM_3",
        "Ensure every replication set Region entry uses a KMS key in that same Region",
        "Every Region entry uses a KMS key in that same Region",
        "HIGH",
        Subject.REPLICATION_SET,
        "key_region_matches_entry",
        _CONFIGURATION,
        "key_region",
    ),
    Rule(
        "CKV_IM_4",
        "Ensure a replication set uses customer managed keys in all Region entries or in none",
        "Customer managed keys in all Region entries, or in none",
        "MEDIUM",
        Subject.REPLICATION_SET,
        "all_or_no_customer_managed_keys",
        _CONFIGURATION,
        "all_or_none_cmk",
    ),
    Rule(
        "CKV_IM_5",
        "Ensure the provider Region of a replication set is one of its Regions",
        "The provider Region is one of its Regions",
        "MEDIUM",
        Subject.REPLICATION_SET,
        "provider_region_is_replicated",
        _TERRAFORM_ONLY,
        "provider_region",
        Category.GENERAL_SECURITY,
    ),
    Rule(
        "CKV_IM_6",
        "Ensure the replication set is guarded against deletion",
        "Guarded against deletion",
        "MEDIUM",
        Subject.REPLICATION_SET,
        "replication_set_deletion_guard",
        frozenset({Engine.TERRAFORM, Engine.CLOUDFORMATION, Engine.CFN_LINT, Engine.REGO_CLOUDFORMATION}),
        "replication_set_guard",
        Category.BACKUP_AND_RECOVERY,
    ),
    Rule(
        "CKV_IM_7",
        "Ensure the Incident Manager key policy grants Incident Manager its required access",
        "The key policy grants Incident Manager its required access",
        "HIGH",
        Subject.KEY,
        "required_key_policy_statement",
        _CONFIGURATION,
        "key_policy_grant",
        Category.IAM,
    ),
    Rule(
        "CKV_IM_8",
        "Ensure the Incident Manager key policy statement names no wildcard principal",
        "That statement names no wildcard principal",
        "HIGH",
        Subject.KEY,
        "no_wildcard_principal",
        _CONFIGURATION,
        "wildcard_principal",
        Category.IAM,
    ),
    Rule(
        "CKV_IM_9",
        "Ensure the Incident Manager KMS key is enabled and guarded against deletion",
        "Enabled and guarded against deletion",
        "MEDIUM",
        Subject.KEY,
        "key_enabled_and_guarded",
        _CONFIGURATION,
        "key_enabled_guard",
        Category.BACKUP_AND_RECOVERY,
        fails_only_on=frozenset({Engine.TERRAFORM_PLAN, Engine.REGO_PLAN}),
    ),  # a plan carries no lifecycle: no deletion guard seen
    Rule(
        "CKV_IM_10",
        "Ensure no e-mail addresses or phone numbers are in Incident Manager tags and name fields",
        "No e-mail addresses or phone numbers in tags and names",
        "MEDIUM",
        Subject.IM_RESOURCE_OR_KEY,
        "no_personal_data_in_names",
        _CONFIGURATION,
        "personal_data",
        Category.GENERAL_SECURITY,
    ),
    Rule(
        "CKV_IM_11",
        "Ensure no credentials are inside URLs of Incident Manager resources",
        "No credentials inside URLs",
        "HIGH",
        Subject.IM_RESOURCE,
        "no_credentials_in_urls",
        _CONFIGURATION,
        "url_credentials",
        Category.SECRETS,
    ),
    Rule(
        "CKV_IM_12",
        "Ensure SNS topics used by a response plan are encrypted with KMS",
        "Encrypted with KMS",
        "MEDIUM",
        Subject.TOPIC,
        "response_plan_topic_encrypted",
        _CONFIGURATION,
        "topic_encryption",
    ),
    Rule(
        "CKV_IM_13",
        "Ensure every replication set Region entry uses a customer managed key",
        "Every Region entry uses a customer managed key",
        "LOW",
        Subject.REPLICATION_SET,
        "customer_managed_keys_everywhere",
        _CONFIGURATION,
        "customer_managed_keys",
    ),
    Rule(
        "CKV_IM_14",
        "Ensure every replication set Region entry names its KMS key by key ARN",
        "Every Region entry names its key by key ARN",
        "MEDIUM",
        Subject.REPLICATION_SET,
        "keys_named_by_arn",
        _CONFIGURATION,
        "key_arn_naming",
    ),
    Rule(
        "CKV_IM_15",
        "Ensure the plan does not destroy, replace or re-key a replication set",
        "The plan does not destroy, replace or re-key it (plan only)",
        "HIGH",
        Subject.REPLICATION_SET,
        "plan_keeps_replication_set",
        _PLAN_ONLY,
        "plan_keeps_replication_set",
        Category.BACKUP_AND_RECOVERY,
    ),
    Rule(
        "CKV_IM_16",
        "Ensure the plan does not delete or disable a KMS key a replication set still uses",
        "The plan does not delete or disable a key it still uses (plan only)",
        "HIGH",
        Subject.REPLICATION_SET,
        "plan_keeps_used_keys",
        _PLAN_ONLY,
        "plan_keeps_used_keys",
        Category.BACKUP_AND_RECOVERY,
    ),
)
RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def rules_for(engine: Engine) -> list[Rule]:
    """The rules an engine runs, in ID order."""
    return [rule for rule in _RULES if rule.runs_on(engine)]


# Where the rule pages live. CKV_IM_GUIDELINE_BASE lets a team point Checkov's
# "Guide:" links and SARIF help URIs at its own copy of docs/rules/.
GUIDELINE_BASE_ENV = "CKV_IM_GUIDELINE_BASE"
DOCS_DIR = Path(__file__).resolve().parent.parent.parent / "docs" / "rules"


def guideline_url(rule_id: str) -> str:
    base = os.environ.get(GUIDELINE_BASE_ENV)
    if base:
        return f"{base.rstrip('/')}/{rule_id}.md"
    page = DOCS_DIR / f"{rule_id}.md"
    if page.is_file():
        return page.as_uri()
    return f"docs/rules/{rule_id}.md"
