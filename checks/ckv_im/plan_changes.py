"""What a plan does to a replication set and to the keys it uses (CKV_IM_15, CKV_IM_16)."""

from __future__ import annotations

from typing import Any

from ckv_im.model import KeyRef, PlanChange, RegionEntry, Resolved, Unknown, is_unknown
from ckv_im.plan_index import PlanIndex, as_dict, as_list
from ckv_im.terraform_types import KEY_TYPES, REPLICATION_SET


class PlanChanges:
    def __init__(self, index: PlanIndex) -> None:
        self.index = index

    def of(self, address: str, entries: Resolved[list[RegionEntry]]) -> PlanChange:
        change = self.index.change(address)
        actions = tuple(a for a in as_list(change.get("actions")) if isinstance(a, str))
        before = _entry_keys(as_dict(change.get("before")))
        rekeyed: list[str] = []
        undecided: list[str] = []
        if "update" in actions and isinstance(entries, list):
            for entry in entries:
                if isinstance(entry.name, str) and entry.name in before:  # adding a new Region is no re-key
                    self._judge_rekey(entry, before[entry.name], rekeyed, undecided)
        lost = self._lost_keys(before, entries) if "delete" not in actions else []
        if "create" in actions:
            # Checkov's plan runner shows no destroyed resource; a set created while another one is
            # destroyed (a rename without a moved block) recreates the account's replication set.
            rekeyed += [
                f"the plan destroys {other} while it creates {address}: the replication set is recreated "
                "under a new address (use a moved block)"
                for other in self._destroyed_replication_sets()
            ]
        return PlanChange(actions, rekeyed, undecided, lost)

    def _judge_rekey(self, entry: RegionEntry, old: str | None, rekeyed: list[str], undecided: list[str]) -> None:
        """Whether the plan changes the key of an entry that was there before (``old``: its key ARN or None)."""
        new = self._new_key(entry)
        if is_unknown(new) and old is None:
            # a reference to a key resource is never DefaultKey: a switch to a customer managed key
            certain = isinstance(entry.key, KeyRef) and entry.key.certain
            key_text = entry.key.text if isinstance(entry.key, KeyRef) and certain else "a value known only after apply"
            (rekeyed if certain else undecided).append(
                f"Region entry {entry.name}: its key switches from the AWS owned key to {key_text}"
            )
        elif is_unknown(new):
            rekeyed.append(f"Region entry {entry.name}: its key {old} becomes a key known only after apply")
        elif new != old:
            rekeyed.append(
                f"Region entry {entry.name}: its key changes from {old or 'the AWS owned key'} "
                f"to {new or 'the AWS owned key'}"
            )

    def _new_key(self, entry: RegionEntry) -> Resolved[str | None]:
        """The key ARN an entry has after the plan (None for the AWS owned key)."""
        if entry.key is None:
            return None
        if isinstance(entry.key, KeyRef) and not is_unknown(entry.key.region) and entry.key.key is None:
            return entry.key.text  # a literal ARN known at plan time
        if isinstance(entry.key, KeyRef) and entry.key.key is not None:
            return self._planned_arn(entry.key.key.name)
        return Unknown("the new key is not resolved")

    def _destroyed_replication_sets(self) -> list[str]:
        return [
            address
            for address, change in self.index.changes.items()
            if change.get("type") == REPLICATION_SET
            and address not in self.index.planned
            and "delete" in as_list(self.index.change(address).get("actions"))
        ]

    def _planned_arn(self, key_address: str) -> Resolved[str]:
        arn = self.index.value(key_address, "arn")
        return arn if isinstance(arn, str) else Unknown(f"{key_address}.arn is known only after apply")

    def _lost_keys(self, before: dict[str, Any], entries: Resolved[list[RegionEntry]]) -> list[str]:
        used = {arn: name for name, arn in before.items() if isinstance(arn, str)}
        by_arn = {
            arn: a
            for a, r in self.index.prior.items()
            if r["type"] in KEY_TYPES and isinstance(arn := as_dict(r.get("values")).get("arn"), str)
        }
        candidates = {
            by_arn[arn]: f"used by Region entry {name} before the plan" for arn, name in used.items() if arn in by_arn
        }
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry.key, KeyRef) and entry.key.key is not None:
                candidates.setdefault(entry.key.key.name, f"used by Region entry {entry.name} after the plan")
        lost = []
        for key_address, use in candidates.items():
            change = self.index.change(key_address)
            actions = as_list(change.get("actions"))
            if "delete" in actions:
                verb = "replaces" if "create" in actions else "deletes"
                lost.append(f"the plan {verb} {key_address}, {use}: keep the key while the replication set uses it")
            elif "update" in actions and _disabled(change):
                lost.append(f"the plan disables {key_address}, {use}")
        return lost


def _entry_keys(values: dict[str, Any]) -> dict[str, Any]:
    """Region name -> key ARN (None for the AWS owned key) of a replication set's values."""
    keys = {}
    for attribute in ("region", "regions"):
        for entry in as_list(values.get(attribute)):
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                arn = entry.get("kms_key_arn")
                keys[entry["name"]] = None if arn in (None, "", "DefaultKey") else arn
    return keys


def _disabled(change: dict[str, Any]) -> bool:
    before, after = as_dict(change.get("before")), as_dict(change.get("after"))
    return any(before.get(name) is not False and after.get(name) is False for name in ("is_enabled", "enabled"))
