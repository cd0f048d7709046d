"""The CKV_IM rules: one pure function per rule over the normalised model.

Each function takes the resource it reports on and the ``ScanModel`` of the
whole scan, and returns a ``Result``. Engines (Checkov on Terraform, plan JSON
and CloudFormation; cfn-lint) only build the model and call these.
Semantics: docs/semantics.md, and each rule's page docs/rules/CKV_IM_<n>.md;
docs/semantics.md#how-a-verdict-is-reached in short:
FAILED when the resolved parts already break the rule, PASSED only when
everything was resolved, UNKNOWN otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ckv_im.iam_policy import names_incident_manager, required_grants_result, wildcard_principal_result
from ckv_im.model import (
    NOT_APPLICABLE,
    STACK_REGION,
    IncidentManagerResource,
    KeyRef,
    KmsKey,
    Region,
    RegionEntry,
    ReplicationSet,
    Resolved,
    Result,
    ScanModel,
    SnsTopic,
    Status,
    Where,
    at,
    is_unknown,
)
from ckv_im.sensitive_text import TooLarge, located_strings_in, personal_data_in, url_credentials_in

# (entry name, key text, where) of a Region entry served by a key of the CloudFormation stack
StackKeyEntry = tuple[Region, str, "Where | None"]


def is_incident_manager_key(key: KmsKey, model: ScanModel) -> bool:
    """A key a replication set points at, or whose policy is written for Incident Manager."""
    return bool(model.key_users.get(key.name)) or (isinstance(key.policy, dict) and names_incident_manager(key.policy))


def _region_text(region: Region) -> str:
    """A Region for a details line: its name, the expression that names it, or why it is unresolved."""
    if is_unknown(region):
        return region.expression or f"an unresolved Region ({region.reason})"
    return str(region)


# CKV_IM_1 ---------------------------------------------------------------------------------------
def symmetric_encryption_key(key: KmsKey, model: ScanModel) -> Result:
    """CKV_IM_1: the key is a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)."""
    if not is_incident_manager_key(key, model):
        return NOT_APPLICABLE
    source = key
    if key.primary is not None:  # a replica: its spec is its primary's
        if is_unknown(key.primary):
            return Result.unknown(f"{key.name}: the primary key of this replica is not resolved ({key.primary.reason})")
        source = key.primary
    problems, unknowns = [], []
    for label, field, wanted in (
        ("key spec", "key_spec", "SYMMETRIC_DEFAULT"),
        ("key usage", "key_usage", "ENCRYPT_DECRYPT"),
    ):
        value = getattr(source, field)
        # a replica's spec is written on its primary: this resource's place for it is the primary reference
        where = key.where.get("primary" if key.is_replica else field)
        if is_unknown(value):
            unknowns.append(f"{key.name}: {label} is not resolved ({value.reason})")
        elif value != wanted:
            problems.append(at(where, f"{key.name}: {label} is {value}; Incident Manager supports only {wanted} keys"))
    return Result.judge(problems, unknowns, f"{key.name} is a symmetric encryption key")


# CKV_IM_2 ---------------------------------------------------------------------------------------
_EXTERNAL_KEY_TYPES = {"aws_kms_external_key", "aws_kms_replica_external_key"}
_CUSTOM_STORE_ORIGINS = {"AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"}


def no_imported_material_or_custom_store(key: KmsKey, model: ScanModel) -> Result:
    """CKV_IM_2: no imported key material (EXTERNAL origin) and no custom key store."""
    if not is_incident_manager_key(key, model):
        return NOT_APPLICABLE
    problems, unknowns = [], []
    if key.resource_type in _EXTERNAL_KEY_TYPES:
        problems.append(f"{key.name} is an {key.resource_type}: a key with imported key material")
    origins = [(key.origin, key.where.get("origin"))]
    if isinstance(key.primary, KmsKey):
        origins.append((key.primary.origin, key.where.get("primary")))
    for origin, where in origins:
        if is_unknown(origin):
            unknowns.append(f"{key.name}: key origin is not resolved ({origin.reason})")
        elif origin == "EXTERNAL":
            problems.append(at(where, f"{key.name}: origin EXTERNAL means imported key material"))
        elif origin in _CUSTOM_STORE_ORIGINS:
            problems.append(at(where, f"{key.name}: origin {origin} means a custom key store"))
    for label, value in (("custom_key_store_id", key.custom_key_store_id), ("xks_key_id", key.xks_key_id)):
        if is_unknown(value):
            unknowns.append(f"{key.name}: {label} is not resolved ({value.reason})")
        elif value not in (None, ""):
            problems.append(
                at(key.where.get(label), f"{key.name}: {label} is set ({value}); custom key stores are not supported")
            )
    return Result.judge(problems, unknowns, f"{key.name} has AWS KMS key material in the default key store")


# CKV_IM_3 ---------------------------------------------------------------------------------------
def key_region_matches_entry(rset: ReplicationSet, model: ScanModel) -> Result:
    """CKV_IM_3: every Region entry uses a KMS key in that same Region."""
    if is_unknown(rset.entries):
        return Result.unknown(f"Region entries of {rset.name} are not resolved ({rset.entries.reason})")
    problems: list[str] = []
    unknowns: list[str] = []
    stack_key_entries: list[StackKeyEntry] = []  # entries served by keys in the stack Region
    for entry in rset.entries:
        key = entry.key
        if key is None:
            continue  # the AWS owned key lives in every Region
        if is_unknown(key):
            unknowns.append(f"Region entry {_entry_label(entry)}: its key is not resolved ({key.reason})")
            continue
        if key.region is STACK_REGION and entry.name is not STACK_REGION:
            stack_key_entries.append((entry.name, key.text, entry.where))
            continue
        if key.region is STACK_REGION or entry.name is STACK_REGION:
            if key.region is not entry.name:
                unknowns.append(
                    f"Region entry {_entry_label(entry)} uses {key.text} in {_region_text(key.region)}:"
                    " the match depends on the stack Region"
                )
            continue
        if is_unknown(key.region) or is_unknown(entry.name):
            unknowns.append(f"Region entry {_entry_label(entry)} uses {key.text} in {_region_text(key.region)}")
        elif key.region != entry.name:
            problems.append(
                at(
                    entry.where,
                    f"Region entry {_entry_label(entry)} uses {key.text}, a key in "
                    f"{key.region}: use a key in {entry.name}",
                )
            )
    _judge_stack_region_keys(rset.entries, stack_key_entries, problems, unknowns)
    return Result.judge(problems, unknowns, f"every Region entry of {rset.name} uses a key in its own Region")


def _judge_stack_region_keys(
    entries: list[RegionEntry], stack_key_entries: list[StackKeyEntry], problems: list[str], unknowns: list[str]
) -> None:
    """Keys defined in a CloudFormation stack all live in the one stack Region."""
    if not stack_key_entries:
        return
    literal_names = {name for name, _, _ in stack_key_entries if isinstance(name, str)}
    has_stack_named_entry = any(entry.name is STACK_REGION for entry in entries)
    described = ", ".join(f"{name} uses {text}" for name, text, _ in stack_key_entries)
    where = next((where for name, _, where in stack_key_entries if isinstance(name, str)), None)
    if len(literal_names) > 1:
        problems.append(
            at(
                where,
                f"keys of this stack live in one Region (the stack's) but serve entries for "
                f"{', '.join(sorted(literal_names))}: {described}",
            )
        )
    elif literal_names and has_stack_named_entry:
        problems.append(
            at(
                where,
                f"a key of this stack serves the literal Region {next(iter(literal_names))} while "
                "another entry is the stack Region itself, so that literal cannot be the stack "
                f"Region: {described}",
            )
        )
    else:
        unknowns.append(f"{described}: right only if the stack is deployed to that Region")


# CKV_IM_4 ---------------------------------------------------------------------------------------
def all_or_no_customer_managed_keys(rset: ReplicationSet, model: ScanModel) -> Result:
    """CKV_IM_4: customer managed keys in all Region entries, or in none."""
    if is_unknown(rset.entries):
        return Result.unknown(f"Region entries of {rset.name} are not resolved ({rset.entries.reason})")
    with_key = [e for e in rset.entries if isinstance(e.key, KeyRef) and e.key.certain]
    without_key = [e for e in rset.entries if e.key is None]
    undecided = [e for e in rset.entries if e not in with_key and e not in without_key]
    if with_key and without_key:
        return Result.failed(
            at(
                without_key[0].where,
                f"{_entries(with_key)} {_verb(with_key, 'uses a customer managed key', 'use customer managed keys')} "
                f"but {_names(without_key)} {_verb(without_key, 'uses', 'use')} the AWS owned key:"
                " use customer managed keys in all Regions or in none",
            )
        )
    if undecided:
        return Result.unknown(_unresolved_keys(undecided))
    return Result.passed(f"{rset.name} uses {'customer managed' if with_key else 'AWS owned'} keys in every entry")


def _names(entries: Sequence[RegionEntry]) -> str:
    """``us-east-1 (line 3), local.region (line 7) and eu-west-1 (line 9)``."""
    labels = [_entry_label(e) for e in entries]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def _entries(entries: Sequence[RegionEntry]) -> str:
    """``entry us-east-1 (line 3)`` or ``entries us-east-1 (line 3) and eu-west-1 (line 9)``."""
    return f"{_verb(entries, 'entry', 'entries')} {_names(entries)}"


def _verb(entries: Sequence[object], one: str, several: str) -> str:
    return one if len(entries) == 1 else several


def _unresolved_keys(entries: Sequence[RegionEntry]) -> str:
    return (
        f"the {_verb(entries, 'key', 'keys')} of {_entries(entries)} "
        f"{_verb(entries, 'is', 'are')} not resolved and could be unset"
    )


def _entry_label(entry: RegionEntry) -> str:
    """``us-west-2 (line 72)``: the entry's Region and, where the adapter knows it, its line."""
    label = _region_text(entry.name)
    return f"{label} (line {entry.line})" if entry.line else label


# CKV_IM_5 ---------------------------------------------------------------------------------------
def provider_region_is_replicated(rset: ReplicationSet, model: ScanModel) -> Result:
    """CKV_IM_5: the Region of the replication set's provider is one of its Regions."""
    if is_unknown(rset.entries):
        return Result.unknown(f"Region entries of {rset.name} are not resolved ({rset.entries.reason})")
    region = rset.provider_region
    if is_unknown(region):
        return Result.unknown(f"the provider Region of {rset.name} is not resolved ({region.reason})")
    names = [e.name for e in rset.entries]
    if region in [n for n in names if isinstance(n, str)]:
        return Result.passed(f"provider Region {region} is a Region of {rset.name}")
    unresolved = [e for e in rset.entries if not isinstance(e.name, str)]
    if unresolved:
        return Result.unknown(
            f"provider Region {region} is not among the resolved Region entries; the "
            f"{_verb(unresolved, 'Region', 'Regions')} of {_entries(unresolved)} "
            f"{_verb(unresolved, 'is', 'are')} not resolved"
        )
    listed = ", ".join(str(name) for name in names) or "none"
    return Result.failed(
        f"the provider of {rset.name} is in {region}, which is not one of its Regions "
        f"({listed}): add a {region} entry or use a provider in one of them"
    )


# CKV_IM_6 ---------------------------------------------------------------------------------------
def replication_set_deletion_guard(rset: ReplicationSet, model: ScanModel) -> Result:
    """CKV_IM_6: the replication set is guarded against deletion."""
    return _guard_result(
        rset.name,
        rset.deletion_guard,
        rset.deletion_guard_hint,
        "deleting it deletes all Incident Manager data",
        rset.where.get("deletion_guard"),
    )


def _guard_result(name: str, guard: Resolved[bool], hint: str, consequence: str, where: Where | None) -> Result:
    if guard is True:
        return Result.passed(f"{name} is guarded against deletion")
    if is_unknown(guard):
        return Result.unknown(f"{name}: deletion guard not resolved ({guard.reason})")
    return Result.failed(at(where, f"{name} has no deletion guard ({consequence}): {hint}"))


# CKV_IM_7 / CKV_IM_8 ----------------------------------------------------------------------------
def required_key_policy_statement(key: KmsKey, model: ScanModel) -> Result:
    """CKV_IM_7: the key policy grants Incident Manager kms:CreateGrant and kms:DescribeKey via its services."""
    return _policy_rule(required_grants_result, key, model)


def no_wildcard_principal(key: KmsKey, model: ScanModel) -> Result:
    """CKV_IM_8: the Incident Manager statement names no wildcard principal without an account pin."""
    return _policy_rule(wildcard_principal_result, key, model)


def _policy_rule(rule: Callable[[Any, Any], Result], key: KmsKey, model: ScanModel) -> Result:
    if not is_incident_manager_key(key, model):
        return NOT_APPLICABLE
    if key.policy_may_be_replaced:
        return Result.unknown(
            f"{key.name}: an aws_kms_key_policy resource could replace this policy, "
            "and this engine does not show other resources"
        )
    return _with_policy_source(key, rule(key.policy, key.region))


def _with_policy_source(key: KmsKey, result: Result) -> Result:
    where = key.where.get("policy")
    if key.policy is None:  # the details already say there is no key policy
        return Result(result.status, tuple(at(where, f"{key.name}: {line}") for line in result.details))
    source = at(where, f"{key.name}: key policy from {key.policy_source}")
    return Result(result.status, (source, *(at(where, line) for line in result.details)))


# CKV_IM_9 ---------------------------------------------------------------------------------------
def key_enabled_and_guarded(key: KmsKey, model: ScanModel) -> Result:
    """CKV_IM_9: the key is enabled and guarded against deletion."""
    if not is_incident_manager_key(key, model):
        return NOT_APPLICABLE
    problems, unknowns = [], []
    if key.enabled is False:
        problems.append(
            at(key.where.get("enabled"), f"{key.name} is disabled: the Incident Manager data it protects is unreadable")
        )
    elif is_unknown(key.enabled):
        unknowns.append(f"{key.name}: enabled state not resolved ({key.enabled.reason})")
    guard = _guard_result(
        key.name,
        key.deletion_guard,
        key.deletion_guard_hint,
        "deleting it makes Incident Manager data unreadable",
        key.where.get("deletion_guard"),
    )
    if guard.status is Status.FAILED:
        problems.extend(guard.details)
    elif guard.status is Status.UNKNOWN:
        unknowns.extend(guard.details)
    return Result.judge(problems, unknowns, f"{key.name} is enabled and guarded against deletion")


# CKV_IM_10 --------------------------------------------------------------------------------------
def no_personal_data_in_names(subject: IncidentManagerResource | KmsKey, model: ScanModel) -> Result:
    """CKV_IM_10: no e-mail addresses or phone numbers in tags and name fields."""
    if isinstance(subject, KmsKey):
        if not is_incident_manager_key(subject, model):
            return NOT_APPLICABLE
        fields = {"description": subject.description, "tags": subject.tags}
    else:
        fields = dict(subject.name_fields, tags=subject.tags)
    # Unresolved values are Unknown objects, not strings: outside the reach of CKV_IM_10 and 11
    # (docs/semantics.md#how-a-verdict-is-reached).
    try:
        findings = [
            at(subject.where.get(raw_path[0]) if raw_path else None, f"{path}: {finding}")
            for path, text, raw_path in located_strings_in(fields)
            for finding in personal_data_in(text)
        ]
    except TooLarge as error:
        return Result.unknown(f"{subject.name} is not read whole: {error.reason}")
    if findings:
        return Result.failed(*findings)
    return Result.passed(f"no personal data in the tags and name fields of {subject.name}")


# CKV_IM_11 --------------------------------------------------------------------------------------
def no_credentials_in_urls(resource: IncidentManagerResource, model: ScanModel) -> Result:
    """CKV_IM_11: no URL in an Incident Manager resource carries credentials."""
    config_where = resource.where.get("config")
    try:
        findings = [
            at(config_where and config_where + raw_path, f"{path}: {finding}")
            for path, text, raw_path in located_strings_in(resource.config)
            for finding in url_credentials_in(text)
        ]
    except TooLarge as error:
        return Result.unknown(f"{resource.name} is not read whole: {error.reason}")
    if findings:
        return Result.failed(*findings)
    return Result.passed(f"no credentials in the URLs of {resource.name}")


# CKV_IM_12 --------------------------------------------------------------------------------------
def response_plan_topic_encrypted(topic: SnsTopic, model: ScanModel) -> Result:
    """CKV_IM_12: an SNS topic a response plan notifies through is encrypted with KMS."""
    if not topic.used_by:
        return NOT_APPLICABLE
    users = ", ".join(topic.used_by)
    if topic.kms_master_key_id in (None, ""):
        return Result.failed(
            at(
                topic.where.get("kms_master_key_id"),
                f"{topic.name} carries incident details for {users} but has no KMS key: encrypt it with a KMS key",
            )
        )
    if is_unknown(topic.kms_master_key_id):
        return Result.unknown(f"{topic.name}: kms_master_key_id not resolved ({topic.kms_master_key_id.reason})")
    return Result.passed(f"{topic.name} (used by {users}) is encrypted with KMS")


# CKV_IM_13 --------------------------------------------------------------------------------------
def customer_managed_keys_everywhere(rset: ReplicationSet, model: ScanModel) -> Result:
    """CKV_IM_13: every Region entry uses a customer managed key."""
    if is_unknown(rset.entries):
        return Result.unknown(f"Region entries of {rset.name} are not resolved ({rset.entries.reason})")
    owned = [e for e in rset.entries if e.key is None]
    if owned:
        fix = _verb(owned, "it a customer managed key", "them customer managed keys")
        return Result.failed(
            at(owned[0].where, f"{_entries(owned)} {_verb(owned, 'uses', 'use')} the AWS owned key: give {fix}")
        )
    undecided = [e for e in rset.entries if not (isinstance(e.key, KeyRef) and e.key.certain)]
    if undecided:
        return Result.unknown(_unresolved_keys(undecided))
    return Result.passed(f"every entry of {rset.name} uses a customer managed key")


# CKV_IM_14 --------------------------------------------------------------------------------------
_NAMING_PROBLEMS = {
    "key_id": "a key ID",
    "alias_arn": "an alias ARN",
    "alias_name": "an alias name",
    "other": "a value that is not a KMS key identifier",
}


def keys_named_by_arn(rset: ReplicationSet, model: ScanModel) -> Result:
    """CKV_IM_14: every Region entry names its key by key ARN."""
    if is_unknown(rset.entries):
        return Result.unknown(f"Region entries of {rset.name} are not resolved ({rset.entries.reason})")
    problems, unknowns = [], []
    for entry in rset.entries:
        key = entry.key
        if key is None:
            continue
        if is_unknown(key):
            unknowns.append(f"Region entry {_entry_label(entry)}: key not resolved ({key.reason})")
        elif is_unknown(key.naming):
            unknowns.append(
                f"Region entry {_entry_label(entry)}: cannot tell how {key.text} names the key ({key.naming.reason})"
            )
        elif key.naming in _NAMING_PROBLEMS:
            problems.append(
                at(
                    entry.where,
                    f"Region entry {_entry_label(entry)} names its key by "
                    f"{_NAMING_PROBLEMS[key.naming]} ({key.text}): use the key ARN",
                )
            )
    return Result.judge(problems, unknowns, f"every Region entry of {rset.name} names its key by key ARN")


# CKV_IM_15 --------------------------------------------------------------------------------------
def plan_keeps_replication_set(rset: ReplicationSet, model: ScanModel) -> Result:
    """CKV_IM_15: the plan does not destroy, replace or re-key the replication set."""
    plan = rset.plan
    if plan is None:
        return NOT_APPLICABLE  # not a plan
    if "delete" in plan.actions:
        verb = "replaces" if "create" in plan.actions else "destroys"
        return Result.failed(
            f"the plan {verb} {rset.name}: recreating or deleting a replication set deletes all "
            "Incident Manager data (response plans, incidents, contacts, escalation plans)"
        )
    if plan.rekeyed:
        return Result.failed(*plan.rekeyed, "Incident Manager cannot change a Region's key in place")
    if plan.undecided:
        return Result.unknown(*plan.undecided)
    return Result.passed(f"the plan keeps {rset.name} and its keys ({', '.join(plan.actions) or 'no-op'})")


# CKV_IM_16 --------------------------------------------------------------------------------------
def plan_keeps_used_keys(rset: ReplicationSet, model: ScanModel) -> Result:
    """CKV_IM_16: the plan does not delete or disable a key the replication set still uses."""
    plan = rset.plan
    if plan is None:
        return NOT_APPLICABLE
    if plan.lost_keys:
        return Result.failed(*plan.lost_keys)
    return Result.passed(f"the plan deletes or disables no key {rset.name} uses")
