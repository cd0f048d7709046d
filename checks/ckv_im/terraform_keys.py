"""KMS key resources of a Terraform scan, their key policies and their primary keys (docs/semantics.md#key-policy)."""

from __future__ import annotations

import json

from ckv_im.model import KmsKey, PolicyDocument, Resolved, Unknown
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
    """The key resources of the scan, each read in full when first asked for.

    Reading a key resolves its Region (provider blocks, module calls) and its arguments,
    which parses its raw HCL; a key no rule judges is not worth that (``all_keys``).
    """

    def __init__(self, resolver: Resolver, index: GraphIndex) -> None:
        self.resolver = resolver
        self.index = index
        self.policies = KeyPolicies(resolver, index, self)
        self._read: dict[str, KmsKey] = {}

    def key(self, address: str) -> KmsKey | None:
        """The key resource at ``address``, read in full (its policy and primary attached); None if not a key."""
        block = self.index.resources.get(address)
        return self._read_key(block) if block is not None and block.type in KEY_TYPES else None

    def _read_key(self, block: Block) -> KmsKey:
        if block.address not in self._read:
            key = self._read[block.address] = read_key(self.resolver, block)  # kept first: a replica of itself ends
            key.policy, key.policy_source = self.policies.policy_of(block)
            if block.type in REPLICA_TYPES:
                key.primary = self.key_behind(block, "primary_key_arn")
        return self._read[block.address]

    def all_keys(self) -> dict[str, KmsKey]:
        """Every key resource of the scan, in full where it may be an Incident Manager key.

        Only a key something leads to (a Region entry, an alias, a replica) or whose policy
        has a ``kms:ViaService`` condition can be one (docs/semantics.md#terms): every
        other key keeps its policy, which tells the rules so, and nothing else is read.
        """
        keys: dict[str, KmsKey] = {}
        for block in self.index.resources_of(KEY_TYPES):
            policy, source = self.policies.policy_of(block)
            read = block.address in self._read or _has_via_service_condition(policy)
            keys[block.address] = self._read_key(block) if read else _unread_key(block, policy, source)
        return keys

    def address_of(self, resolved: Resolution) -> str | None:
        """The address of the key resource a reference leads to, directly or through an alias."""
        if isinstance(resolved, Ref) and resolved.block is not None:
            if resolved.block.type in KEY_TYPES:
                return resolved.block.address
            if resolved.block.type == KMS_ALIAS:
                raw, rendered = resolved.block.attribute("target_key_id")
                target = self.resolver.resolve(raw, rendered, Context.of(resolved.block))
                if isinstance(target, Ref) and target.block is not None and target.block.type in KEY_TYPES:
                    return target.block.address
        return None

    def key_of(self, resolved: Resolution) -> KmsKey | None:
        address = self.address_of(resolved)
        return self.key(address) if address is not None else None

    def key_behind(self, block: Block, attribute: str) -> KmsKey | Unknown:
        """The key an attribute of a block (``primary_key_arn``) points at."""
        raw, rendered = block.attribute(attribute)
        resolved = self.resolver.resolve(raw, rendered, Context.of(block))
        return self.key_of(resolved) or (
            resolved if isinstance(resolved, Unknown) else Unknown(f"{attribute} does not point at a key in the scan")
        )


def _has_via_service_condition(policy: Resolved[PolicyDocument | None]) -> bool:
    """Whether the policy mentions ``kms:ViaService`` anywhere (ASCII letters in any case).

    Both ways a policy makes its key an Incident Manager key go through a ``kms:ViaService``
    condition, so this is a cheap test that never misses one; the rules decide the rest.
    """
    if not isinstance(policy, dict):
        return False
    try:
        text = json.dumps(policy, default=repr, ensure_ascii=False, skipkeys=True)
    except (ValueError, RecursionError):  # a cycle, or nesting too deep to write: read the key in full
        return True
    return "kms:viaservice" in text.lower()


def _unread_key(block: Block, policy: Resolved[PolicyDocument | None], source: str) -> KmsKey:
    """A key not read in full: its policy, and every other fact unknown (so never a guessed verdict)."""
    unread = Unknown("not read: no replication set uses this key and its policy has no kms:ViaService condition")
    return KmsKey(
        name=block.address,
        resource_type=block.type,
        region=unread,
        key_spec=unread,
        key_usage=unread,
        origin=unread,
        custom_key_store_id=unread,
        xks_key_id=unread,
        policy=policy,
        policy_source=source,
        enabled=unread,
        deletion_guard=unread,
        description=unread,
        tags=unread,
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
    """Each key's effective policy: its own, or the aws_kms_key_policy that targets it (which wins, as in AWS)."""

    def __init__(self, resolver: Resolver, index: GraphIndex, lookup: KeyLookup) -> None:
        self.resolver = resolver
        self.index = index
        self.lookup = lookup
        self.reader = PolicyReader(resolver)
        self._targeting: dict[str, list[Block]] | None = None  # key address -> aws_kms_key_policy resources
        self._replaceable: Unknown | None = None  # set when some aws_kms_key_policy could target any key
        self._policies: dict[str, tuple[Resolved[PolicyDocument | None], str]] = {}  # by key address

    def policy_of(self, block: Block) -> tuple[Resolved[PolicyDocument | None], str]:
        """The key's effective policy (None: the AWS default key policy) and where it comes from; read once."""
        if block.address not in self._policies:
            self._policies[block.address] = self._effective_policy(block)
        return self._policies[block.address]

    def _effective_policy(self, block: Block) -> tuple[Resolved[PolicyDocument | None], str]:
        targeting = self._policy_resources()
        attached = targeting.get(block.address, [])
        if self._replaceable is not None and not attached:
            return self._replaceable, _own_policy_source(block)
        if len(attached) > 1:
            return Unknown("several aws_kms_key_policy resources target this key"), ", ".join(
                b.address for b in attached
            )
        source = attached[0] if attached else block
        raw, rendered = source.attribute("policy")
        if raw is MISSING and rendered is MISSING:
            return None, _own_policy_source(block)
        policy = self.reader.policy(raw, rendered, Context.of(source))
        return policy, source.address if attached else _own_policy_source(block)

    def _policy_resources(self) -> dict[str, list[Block]]:
        if self._targeting is None:
            self._targeting = {}
            untargeted: list[str] = []  # aws_kms_key_policy resources whose key could be any key here
            for block in self.index.resources_of({KMS_KEY_POLICY}):
                raw, rendered = block.attribute("key_id")
                resolved = self.resolver.resolve(raw, rendered, Context.of(block))
                target = self.lookup.address_of(resolved)
                if target is not None:
                    self._targeting.setdefault(target, []).append(block)
                elif not isinstance(resolved, (Literal, Ref)):  # a literal or another resource: a key outside
                    untargeted.append(block.address)
            if untargeted:
                # One Unknown shared by every key, naming a few of the policies: with thousands of keys and
                # policies, a message per key naming them all took memory in the square of their number.
                self._replaceable = Unknown(
                    f"{_few(untargeted)} may replace this key's policy: its key_id is not resolved"
                )
        return self._targeting
