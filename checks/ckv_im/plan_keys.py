"""KMS keys of a plan, with their key policies and primary keys (docs/semantics.md#key-policy)."""

from __future__ import annotations

from ckv_im.model import KmsKey, PolicyDocument, Resolved, Unknown, is_unknown
from ckv_im.plan_index import PlanIndex
from ckv_im.plan_references import PlanReferences, PlanRegions
from ckv_im.policy_json import parse_policy
from ckv_im.terraform_types import EXTERNAL_KEY_TYPES, KMS_KEY_POLICY, REPLICA_TYPES

NO_LIFECYCLE = "a plan carries no lifecycle block: the deletion guard is not visible (CKV_IM_15 covers plans)"


class PlanKeys:
    def __init__(self, index: PlanIndex, regions: PlanRegions, references: PlanReferences) -> None:
        self.index = index
        self.regions = regions
        self.references = references

    def key(self, address: str, resource_type: str) -> KmsKey:
        value = self.index.value
        enabled = "is_enabled" if resource_type == "aws_kms_key" else "enabled"
        spec = value(address, "customer_master_key_spec") or value(address, "key_spec")
        return KmsKey(
            name=address,
            resource_type=resource_type,
            region=self.regions.region_of(address),
            key_spec=spec or "SYMMETRIC_DEFAULT",
            key_usage=value(address, "key_usage", "ENCRYPT_DECRYPT"),
            origin="EXTERNAL" if resource_type in EXTERNAL_KEY_TYPES else "AWS_KMS",
            custom_key_store_id=value(address, "custom_key_store_id"),
            xks_key_id=value(address, "xks_key_id"),
            enabled=value(address, enabled, True),
            deletion_guard=Unknown(NO_LIFECYCLE),
            description=value(address, "description"),
            tags=value(address, "tags", {}),
        )

    def attach_policies_and_primaries(self, keys: dict[str, KmsKey]) -> None:
        policy_resources: dict[str, list[str]] = {}
        for address, resource in self.index.planned.items():
            if resource.get("type") == KMS_KEY_POLICY:
                for target in self.references.referenced_keys(address, "key_id"):
                    policy_resources.setdefault(target, []).append(address)
        for address, key in keys.items():
            attached = policy_resources.get(address, [])
            if len(attached) > 1:
                key.policy, key.policy_source = (
                    Unknown("several aws_kms_key_policy resources target this key"),
                    ", ".join(attached),
                )
            elif attached:
                key.policy, key.policy_source = self._policy(attached[0]), attached[0]
            else:
                key.policy, key.policy_source = self._policy(address), f"the policy argument of {address}"
            if key.resource_type in REPLICA_TYPES:
                primaries = self.references.referenced_keys(address, "primary_key_arn")
                key.primary = (
                    keys.get(primaries[0])
                    if len(primaries) == 1 and primaries[0] in keys
                    else Unknown("the primary key is not a key resource in the plan")
                )

    def _policy(self, address: str) -> Resolved[PolicyDocument | None]:
        value = self.index.value(address, "policy")
        if is_unknown(value):
            config = self.index.config_of(address)
            if config is not None and "policy" not in config.expressions:
                return None  # no policy in the configuration: the provider reads the default one back
            return value
        if value in (None, ""):
            return None
        return parse_policy(value)
