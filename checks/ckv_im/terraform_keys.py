"""KMS key resources of a Terraform scan, their key policies and their primary keys (docs/semantics.md#key-policy)."""

from __future__ import annotations

from ckv_im.model import KmsKey, Unknown
from ckv_im.terraform_attributes import boolean, prevent_destroy, tags_of
from ckv_im.terraform_graph import MISSING, Block, GraphIndex
from ckv_im.terraform_policy_documents import PolicyReader
from ckv_im.terraform_references import Context, Literal, Ref, Resolution
from ckv_im.terraform_resolver import Resolver
from ckv_im.terraform_types import EXTERNAL_KEY_TYPES, KEY_TYPES, KMS_ALIAS, KMS_KEY_POLICY, REPLICA_TYPES


def read_key(resolver: Resolver, block: Block) -> KmsKey:
    """The key as its own block writes it (its policy and primary are attached afterwards)."""
    scalar = resolver.scalar
    enabled_attribute = "is_enabled" if block.type == "aws_kms_key" else "enabled"
    key = KmsKey(
        name=block.address,
        resource_type=block.type,
        region=resolver.regions.region_of_resource(block),
        key_spec=scalar(block, "customer_master_key_spec", MISSING),
        key_usage=scalar(block, "key_usage", "ENCRYPT_DECRYPT"),
        origin="EXTERNAL" if block.type in EXTERNAL_KEY_TYPES else "AWS_KMS",
        custom_key_store_id=scalar(block, "custom_key_store_id"),
        xks_key_id=scalar(block, "xks_key_id"),
        enabled=boolean(scalar(block, enabled_attribute, True)),
        deletion_guard=prevent_destroy(block),
        description=scalar(block, "description"),
        tags=tags_of(block),
    )
    if key.key_spec is MISSING:
        key.key_spec = scalar(block, "key_spec", "SYMMETRIC_DEFAULT")
    return key


class KeyLookup:
    """The key resource of the scan a reference leads to, directly or through an alias."""

    def __init__(self, resolver: Resolver, keys: dict[str, KmsKey]) -> None:
        self.resolver = resolver
        self.keys = keys

    def key_of(self, resolved: Resolution) -> KmsKey | None:
        if isinstance(resolved, Ref) and resolved.block is not None:
            if resolved.block.type in KEY_TYPES:
                return self.keys.get(resolved.block.address)
            if resolved.block.type == KMS_ALIAS:
                raw, rendered = resolved.block.attribute("target_key_id")
                target = self.resolver.resolve(raw, rendered, Context.of(resolved.block))
                if isinstance(target, Ref) and target.block is not None and target.block.type in KEY_TYPES:
                    return self.keys.get(target.block.address)
        return None

    def key_behind(self, block: Block, attribute: str) -> KmsKey | Unknown:
        """The key an attribute of a block (``key_id``, ``primary_key_arn``) points at."""
        raw, rendered = block.attribute(attribute)
        resolved = self.resolver.resolve(raw, rendered, Context.of(block))
        return self.key_of(resolved) or (
            resolved if isinstance(resolved, Unknown) else Unknown(f"{attribute} does not point at a key in the scan")
        )


def _few(addresses: list[str], shown: int = 3) -> str:
    """``a, b, c and 4 more``."""
    if len(addresses) <= shown:
        return ", ".join(addresses)
    return f"{', '.join(addresses[:shown])} and {len(addresses) - shown} more aws_kms_key_policy resources"


def _own_policy_source(block: Block) -> str:
    raw, rendered = block.attribute("policy")
    if raw is MISSING and rendered is MISSING:
        return "no key policy (the AWS default key policy)"
    return f"the policy argument of {block.address}"


class KeyPolicies:
    """Attaches each key's effective policy (its own, or the aws_kms_key_policy that targets it) and its primary."""

    def __init__(self, resolver: Resolver, index: GraphIndex, lookup: KeyLookup) -> None:
        self.resolver = resolver
        self.index = index
        self.lookup = lookup
        self.reader = PolicyReader(resolver)

    def attach(self) -> None:
        policy_resources: dict[str, list[Block]] = {}
        untargeted: list[str] = []  # aws_kms_key_policy resources whose key could be any key here
        for block in self.index.resources_of({KMS_KEY_POLICY}):
            target = self.lookup.key_behind(block, "key_id")
            if isinstance(target, KmsKey):
                policy_resources.setdefault(target.name, []).append(block)
            elif self._may_target_a_key_here(block):
                untargeted.append(block.address)
        # One Unknown shared by every key, naming a few of the policies: with thousands of keys and
        # policies, a message per key naming them all took memory in the square of their number.
        replaceable = Unknown(f"{_few(untargeted)} may replace this key's policy: its key_id is not resolved")
        for address, key in self.lookup.keys.items():
            block = self.index.resources[address]
            attached = policy_resources.get(address, [])
            if untargeted and not attached:
                key.policy, key.policy_source = replaceable, _own_policy_source(block)
            else:
                self._attach_policy(key, block, attached)
            if block.type in REPLICA_TYPES:
                key.primary = self.lookup.key_behind(block, "primary_key_arn")

    def _attach_policy(self, key: KmsKey, block: Block, attached: list[Block]) -> None:
        if len(attached) > 1:
            key.policy = Unknown("several aws_kms_key_policy resources target this key")
            key.policy_source = ", ".join(b.address for b in attached)
            return
        source = attached[0] if attached else block
        raw, rendered = source.attribute("policy")
        if raw is MISSING and rendered is MISSING:
            key.policy, key.policy_source = None, _own_policy_source(block)
        else:
            key.policy = self.reader.policy(raw, rendered, Context.of(source))
            key.policy_source = source.address if attached else _own_policy_source(block)

    def _may_target_a_key_here(self, block: Block) -> bool:
        """False only when key_id names a key outside the scan (a literal ID or ARN, another resource)."""
        raw, rendered = block.attribute("key_id")
        resolved = self.resolver.resolve(raw, rendered, Context.of(block))
        return not isinstance(resolved, (Literal, Ref))
