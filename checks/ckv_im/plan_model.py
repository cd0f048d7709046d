"""Plan adapter: a ``terraform show -json`` plan -> ScanModel.

A plan has every module expanded and every variable, ``count`` and data source
resolved, but values that depend on resources not yet created are unknown
("known after apply"). Those are resolved through the plan's ``configuration``
section: each expression's ``references``, each resource's resolved
``provider_config_key``, the providers' ``region`` expressions and the plan's
``variables``. Replication set Region entries are a set, which Terraform sorts:
planned entries are joined to their configuration by Region name, never by
position. A plan carries no ``lifecycle``: deletion guards stay unknown.
The engine shell keeps the model of each plan file it reads (``ckv_im.model_cache``).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from ckv_im.arns import sns_topic_arn_parts
from ckv_im.model import (
    IncidentManagerResource,
    KeyRef,
    KmsKey,
    PlanChange,
    RegionEntry,
    ReplicationSet,
    ScanModel,
    SnsTopic,
    Unknown,
    is_unknown,
)
from ckv_im.policy_json import parse_policy
from ckv_im.rendered_values import clean, dig
from ckv_im.terraform_types import (
    EXTERNAL_KEY_TYPES,
    IM_PREFIXES,
    KEY_TYPES,
    NAME_FIELDS,
    REGION_ATTRIBUTES,
    REPLICA_TYPES,
    REPLICATION_SET,
    RESPONSE_PLAN,
    SNS_TOPIC,
    key_ref_from_literal,
    naming_of,
)

MAX_PLAN_BYTES = 512 * 1024 * 1024
NO_LIFECYCLE = "a plan carries no lifecycle block: the deletion guard is not visible (CKV_IM_15 covers plans)"
_INDEX = re.compile(r"\[[^\]]*\]")
REGION_ARGUMENTS = ("region", "name", "endpoint")  # data "aws_region" arguments that choose a Region


def plan_model(path: str) -> "ScanModel | Unknown":
    """The model of one plan file, or an Unknown saying why the plan cannot be read."""
    try:
        if os.path.getsize(path) > MAX_PLAN_BYTES:
            return Unknown("the plan file is too large to read")
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return Unknown(f"the plan is not readable JSON ({error.__class__.__name__})")
    problem = _unsupported(document)
    if problem:
        return Unknown(problem)
    return PlanModelBuilder(document).build()


def _unsupported(document: Any) -> str | None:
    if not isinstance(document, dict):
        return "the plan is not a JSON object"
    version = str(document.get("format_version", ""))
    if not version.startswith("1."):
        return f"plan format_version {version or '(none)'} is not supported (Terraform 0.12-era plans lack what the rules need)"
    if document.get("errored"):
        return "the plan is errored: Terraform could not finish it"
    return None


# --- walking the plan ----------------------------------------------------------------------------
def _dict(value: Any) -> dict:
    """A plan element that should be an object; anything else reads as empty (plans come from anywhere)."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _by_address(items) -> dict[str, dict]:
    """Resources (planned, prior or changed) by address; entries without a string address and type are skipped."""
    return {item["address"]: item for item in items
            if isinstance(item, dict) and isinstance(item.get("address"), str) and isinstance(item.get("type"), str)}


def _module_resources(module: Any) -> Iterator[dict]:
    """Resources of a planned_values / prior_state module and of its child modules."""
    stack = [module]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict):
            continue
        yield from (r for r in _list(current.get("resources")) if isinstance(r, dict))
        stack.extend(_list(current.get("child_modules")))


@dataclass
class ConfigResource:
    prefix: str          # "" or "module.a.module.b." (module calls, without instance keys)
    body: dict

    @property
    def expressions(self) -> dict:
        expressions = self.body.get("expressions")
        return expressions if isinstance(expressions, dict) else {}


@dataclass
class ConfigModule:
    prefix: str
    body: dict


def _steps(reference: str) -> list[str]:
    """``module.k["a.b"].key_arn`` -> ``module``, ``k["a.b"]``, ``key_arn``: dots inside index keys stay."""
    return re.findall(r'[^.\[]+(?:\[(?:"[^"]*"|[^\]]*)\])*', reference)


def instance_prefix(address: str) -> str:
    """``module.k["a"].aws_kms_key.x[0]`` -> ``module.k["a"].``: the module instance path of a resource."""
    steps = _steps(address)
    length = 0
    while length + 1 < len(steps) and steps[length] == "module":
        length += 2
    return "".join(f"{step}." for step in steps[:length])


def config_address(address: str) -> str:
    """``module.k["a"].aws_kms_key.k[0]`` -> ``module.k.aws_kms_key.k``: the configuration's address."""
    return _INDEX.sub("", address)


def _references(expression: Any) -> list[str]:
    if not isinstance(expression, dict):
        return []
    references = expression.get("references")
    return [r for r in references if isinstance(r, str)] if isinstance(references, list) else []


@dataclass
class PlanIndex:
    planned: dict[str, dict] = field(default_factory=dict)        # address -> planned resource
    prior: dict[str, dict] = field(default_factory=dict)          # address -> prior-state resource
    changes: dict[str, dict] = field(default_factory=dict)        # address -> resource_changes entry
    config: dict[str, ConfigResource] = field(default_factory=dict)
    modules: dict[str, ConfigModule] = field(default_factory=dict)  # "module.a." -> module body
    providers: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)


def index_plan(document: dict) -> PlanIndex:
    index = PlanIndex()
    planned_values = _dict(document.get("planned_values"))
    index.planned = _by_address(_module_resources(planned_values.get("root_module")))
    prior_values = _dict(_dict(document.get("prior_state")).get("values"))
    index.prior = _by_address(_module_resources(prior_values.get("root_module")))
    index.changes = _by_address(_list(document.get("resource_changes")))
    configuration = _dict(document.get("configuration"))
    index.providers = _dict(configuration.get("provider_config"))
    index.variables = {name: _dict(v).get("value") for name, v in _dict(document.get("variables")).items()
                       if isinstance(v, dict)}
    stack = [("", configuration.get("root_module"))]
    while stack:
        prefix, module = stack.pop()
        if not isinstance(module, dict):
            continue
        index.modules[prefix] = ConfigModule(prefix, module)
        for resource in _list(module.get("resources")):
            if isinstance(resource, dict) and isinstance(resource.get("address"), str):
                index.config[prefix + resource["address"]] = ConfigResource(prefix, resource)
        for name, call in _dict(module.get("module_calls")).items():
            if isinstance(call, dict):
                stack.append((f"{prefix}module.{name}.", call.get("module")))
    return index


# --- the model -----------------------------------------------------------------------------------
class PlanModelBuilder:
    def __init__(self, document: dict) -> None:
        self.index = index_plan(document)
        self.model = ScanModel()

    def build(self) -> ScanModel:
        for address, resource in self.index.planned.items():
            if resource.get("mode", "managed") == "managed" and resource.get("type") in KEY_TYPES:
                self.model.keys[address] = self._key(address, resource)
        self._attach_policies_and_primaries()
        for address, resource in self.index.planned.items():
            resource_type = resource.get("type") or ""
            if resource_type == REPLICATION_SET:
                self.model.replication_sets[address] = self._replication_set(address, resource)
            if resource_type.startswith(IM_PREFIXES):
                self.model.im_resources[address] = self._im_resource(address, resource)
        self._topics()
        return self.model

    # values ---------------------------------------------------------------------------------------
    def _values(self, address: str) -> dict:
        values = self.index.planned.get(address, {}).get("values")
        return values if isinstance(values, dict) else {}

    def _after_unknown(self, address: str) -> dict:
        change = _dict(_dict(self.index.changes.get(address)).get("change"))
        unknown = change.get("after_unknown")
        return unknown if isinstance(unknown, dict) else {}

    def _value(self, address: str, name: str, default: Any = None) -> Any:
        if self._after_unknown(address).get(name) is True:
            return Unknown(f"{address}.{name} is known only after apply")
        value = self._values(address).get(name)
        return default if value is None else clean(value)

    def _config(self, address: str) -> ConfigResource | None:
        return self.index.config.get(config_address(address))

    # keys -----------------------------------------------------------------------------------------
    def _key(self, address: str, resource: dict) -> KmsKey:
        resource_type = resource["type"]
        enabled = "is_enabled" if resource_type == "aws_kms_key" else "enabled"
        spec = self._value(address, "customer_master_key_spec") or self._value(address, "key_spec")
        return KmsKey(
            name=address,
            resource_type=resource_type,
            region=self._value(address, "region") or self.provider_region(address),
            key_spec=spec or "SYMMETRIC_DEFAULT",
            key_usage=self._value(address, "key_usage", "ENCRYPT_DECRYPT"),
            origin="EXTERNAL" if resource_type in EXTERNAL_KEY_TYPES else "AWS_KMS",
            custom_key_store_id=self._value(address, "custom_key_store_id"),
            xks_key_id=self._value(address, "xks_key_id"),
            enabled=self._value(address, enabled, True),
            deletion_guard=Unknown(NO_LIFECYCLE),
            description=self._value(address, "description"),
            tags=self._value(address, "tags", {}),
        )

    def _attach_policies_and_primaries(self) -> None:
        policy_resources: dict[str, list[str]] = {}
        for address, resource in self.index.planned.items():
            if resource.get("type") == "aws_kms_key_policy":
                for target in self._referenced_keys(address, "key_id"):
                    policy_resources.setdefault(target, []).append(address)
        for address, key in self.model.keys.items():
            attached = policy_resources.get(address, [])
            if len(attached) > 1:
                key.policy, key.policy_source = Unknown("several aws_kms_key_policy resources target this key"), \
                    ", ".join(attached)
            elif attached:
                key.policy, key.policy_source = self._policy(attached[0]), attached[0]
            else:
                key.policy, key.policy_source = self._policy(address), f"the policy argument of {address}"
            if key.resource_type in REPLICA_TYPES:
                primaries = self._referenced_keys(address, "primary_key_arn")
                key.primary = self.model.keys.get(primaries[0]) if len(primaries) == 1 and primaries[0] in \
                    self.model.keys else Unknown("the primary key is not a key resource in the plan")

    def _policy(self, address: str) -> Any:
        value = self._value(address, "policy")
        if is_unknown(value):
            config = self._config(address)
            if config is not None and "policy" not in config.expressions:
                return None  # no policy in the configuration: the provider reads the default one back
            return value
        if value in (None, ""):
            return None
        return parse_policy(value)

    # providers and references ---------------------------------------------------------------------
    def provider_region(self, address: str, depth: int = 0) -> Any:
        config = self._config(address)
        key = config.body.get("provider_config_key") if config else None
        provider = self.index.providers.get(key) if isinstance(key, str) else None
        if not isinstance(provider, dict):
            return Unknown(f"the provider of {address} is not in the plan's configuration")
        expression = _dict(provider.get("expressions")).get("region")
        if not isinstance(expression, dict):
            return Unknown(f"provider {key} sets no region (it comes from the environment)")
        region = self._string_of(expression, "", depth)  # providers are configured in the root module
        return region if region is not None else Unknown(f"the region of provider {key} is not resolved")

    def _string_of(self, expression: Any, prefix: str, depth: int = 0) -> "str | None":
        """A string expression's value where the plan carries it: a constant, a root variable, or a
        data "aws_region" (its value in the plan, else the Region of its provider). None otherwise."""
        expression = _dict(expression)
        if isinstance(expression.get("constant_value"), str):
            return expression["constant_value"]
        for reference in _references(expression):
            parts = _steps(reference)
            if parts[0] == "var" and len(parts) == 2 and not prefix and isinstance(self.index.variables.get(parts[1]), str):
                return self.index.variables[parts[1]]
            if parts[:2] == ["data", "aws_region"] and len(parts) == 4 and parts[3] in REGION_ATTRIBUTES:
                region = self._data_region(f"{prefix}data.aws_region.{parts[2]}", parts[3], depth + 1)
                if region is not None:
                    return region
        return None

    def _data_region(self, address: str, attribute: str, depth: int) -> "str | None":
        """A data "aws_region" as Terraform read it during the plan, else its provider's Region (RULES.md)."""
        for resources in (self.index.prior, self.index.planned):
            value = _dict(_dict(resources.get(address)).get("values")).get(attribute)
            if isinstance(value, str):
                return value
        config = self._config(address)
        if depth > 16 or config is None or any(argument in config.expressions for argument in REGION_ARGUMENTS):
            return None  # a Region chosen in the data source itself, not read: unknown
        region = self.provider_region(address, depth + 1)
        return region if isinstance(region, str) else None

    def _referenced_keys(self, address: str, attribute: str) -> list[str]:
        config = self._config(address)
        if config is None:
            return []
        return self._resources_behind(_references(config.expressions.get(attribute)), instance_prefix(address))

    def _resources_behind(self, references: list[str], prefix: str, types=KEY_TYPES, depth: int = 0) -> list[str]:
        """Addresses of the resources of ``types`` an expression's references lead to (through module
        outputs, and for keys through aliases). Locals are not in a plan's configuration: not followed."""
        found: list[str] = []
        for reference in references:
            found += self._follow(reference, prefix, types, depth)
        return list(dict.fromkeys(found))

    def _follow(self, reference: str, prefix: str, types, depth: int) -> list[str]:
        """``prefix`` is the module instance path of the expression, e.g. ``module.k["a"].``."""
        parts = _steps(reference)
        if depth > 16 or len(parts) < 2:
            return []
        if parts[0] == "module" and len(parts) >= 3:
            instance = f"{prefix}module.{parts[1]}."
            module = self.index.modules.get(config_address(instance))
            output = _dict(_dict(module.body.get("outputs")).get(parts[2])) if module else {}
            expression = output.get("expression")
            return self._resources_behind(_references(expression), instance, types, depth + 1)
        if parts[0] in types:
            # Terraform lists a traversal and its prefixes (aws_kms_key.k["a"].arn, aws_kms_key.k["a"],
            # aws_kms_key.k): keep only what names a planned instance.
            address = f"{prefix}{parts[0]}.{parts[1]}"
            return [address] if address in self.index.planned else []
        if parts[0] == "aws_kms_alias" and types == KEY_TYPES:
            alias = self.index.config.get(config_address(f"{prefix}aws_kms_alias.{parts[1]}"))
            if alias is not None:
                return self._resources_behind(_references(alias.expressions.get("target_key_id")), prefix, types,
                                              depth + 1)
        return []

    def _naming(self, references: list[str], prefix: str, depth: int = 0) -> Any:
        """How an entry's expression names its key (CKV_IM_14), following module outputs."""
        for reference in references:
            parts = _steps(reference)
            if len(parts) == 3 and parts[0] == "module" and depth < 16:
                instance = f"{prefix}module.{parts[1]}."
                module = self.index.modules.get(config_address(instance))
                output = _dict(_dict(module.body.get("outputs")).get(parts[2])) if module else {}
                return self._naming(_references(output.get("expression")), instance, depth + 1)
            if len(parts) == 3 and (parts[0] in KEY_TYPES or parts[0] == "aws_kms_alias"):
                return naming_of(parts[0], parts[2], reference)
        return Unknown("the expression does not name a key attribute")

    # replication sets -----------------------------------------------------------------------------
    def _replication_set(self, address: str, resource: dict) -> ReplicationSet:
        entries, users = self._entries(address)
        for key_address in users:
            self.model.key_users.setdefault(key_address, []).append(address)
        return ReplicationSet(
            name=address,
            resource_type=REPLICATION_SET,
            entries=entries,
            provider_region=self.provider_region(address),
            deletion_guard=Unknown(NO_LIFECYCLE),
            plan=self._plan_change(address, entries),
        )

    def _entry_configs(self, address: str, planned_names: list[str]) -> dict[str, dict]:
        """Configuration blocks of the Region entries, by their Region name (a literal, a root variable,
        a data "aws_region"). The plan's configuration shows static blocks only, not dynamic ones.

        One block whose name the plan does not carry (a local) is joined to the one planned entry
        left over, when the static blocks are all the entries there are: never by position.
        """
        config = self._config(address)
        prefix = instance_prefix(address)
        blocks: dict[str, dict] = {}
        unnamed = []
        for attribute in ("region", "regions"):
            for block in _list(config.expressions.get(attribute) if config else None):
                name = self._string_of(_dict(block).get("name"), prefix) if isinstance(block, dict) else None
                if isinstance(name, str):
                    blocks[name] = block
                elif isinstance(block, dict):
                    unnamed.append(block)
        left_over = [name for name in planned_names if name not in blocks]
        if len(unnamed) == 1 and len(left_over) == 1 and len(planned_names) == len(blocks) + 1:
            blocks[left_over[0]] = unnamed[0]
        return blocks

    def _entries(self, address: str) -> tuple["list[RegionEntry] | Unknown", list[str]]:
        values = self._values(address)
        unknown = self._after_unknown(address)
        planned_names = [entry.get("name") for attribute in ("region", "regions")
                         for entry in _list(values.get(attribute)) if isinstance(entry, dict)]
        configs = self._entry_configs(address, [name for name in planned_names if isinstance(name, str)])
        prefix = instance_prefix(address)
        entries, users = [], []
        for attribute in ("region", "regions"):
            planned = _list(values.get(attribute))
            unknown_entries = unknown.get(attribute) if isinstance(unknown.get(attribute), list) else []
            for position, entry in enumerate(planned if isinstance(planned, list) else []):
                if not isinstance(entry, dict):
                    continue
                name = entry.get("name")
                if not isinstance(name, str):
                    entries.append(RegionEntry(Unknown("a Region entry name is known only after apply"),
                                               Unknown("not resolved")))
                    continue
                key_unknown = position < len(unknown_entries) and isinstance(unknown_entries[position], dict) \
                    and unknown_entries[position].get("kms_key_arn") is True
                key_ref, used = self._entry_key(entry, configs.get(name), key_unknown, prefix)
                users += used
                entries.append(RegionEntry(name, key_ref))
        return entries, users

    def _entry_key(self, entry: dict, config: dict | None, unknown: bool, prefix: str):
        if config is not None and "kms_key_arn" not in config:
            return None, []  # no key in the configuration: the AWS owned key (the provider says DefaultKey)
        expression = _dict(config).get("kms_key_arn")
        references = _references(expression)
        keys = self._resources_behind(references, prefix)
        if not unknown:
            value = entry.get("kms_key_arn")
            if value in (None, "", "DefaultKey"):
                return None, []
            if not isinstance(value, str):
                return Unknown(f"kms_key_arn is not a string ({type(value).__name__})"), []
            key_ref = key_ref_from_literal(value)
            naming = self._naming(references, prefix)
            if not is_unknown(naming):  # a key reference known at plan time (an existing key): its form decides
                key_ref.naming = naming
            key_ref.key = self.model.keys.get(keys[0]) if len(keys) == 1 else None
            return key_ref, keys[:1] if key_ref.key else []
        if len(keys) == 1 and keys[0] in self.model.keys:
            key = self.model.keys[keys[0]]
            return KeyRef(references[0], self._naming(references, prefix), key=key, region=key.region), keys
        if config is None:
            return Unknown("the entry's configuration is not in the plan"), []
        text = references[0] if references else "an expression"
        return KeyRef(text, self._naming(references, prefix), region=Unknown(f"{text} is known only after apply")), []

    # plan changes (CKV_IM_15, CKV_IM_16) ----------------------------------------------------------
    def _plan_change(self, address: str, entries: Any) -> PlanChange:
        change = _dict(_dict(self.index.changes.get(address)).get("change"))
        actions = tuple(a for a in _list(change.get("actions")) if isinstance(a, str))
        before = _entry_keys(_dict(change.get("before")))
        rekeyed, undecided = [], []
        if "update" in actions and isinstance(entries, list):
            for entry in entries:
                if not isinstance(entry.name, str) or entry.name not in before:
                    continue  # a new Region: adding one is no re-key
                old = before[entry.name]
                if entry.key is None:
                    new = None
                elif isinstance(entry.key, KeyRef) and not is_unknown(entry.key.region) and entry.key.key is None:
                    new = entry.key.text  # a literal ARN known at plan time
                elif isinstance(entry.key, KeyRef) and entry.key.key is not None:
                    new = self._planned_arn(entry.key.key.name)
                else:
                    new = Unknown("the new key is not resolved")
                if is_unknown(new) and old is None:
                    # a reference to a key resource is never DefaultKey: a switch to a customer managed key
                    certain = isinstance(entry.key, KeyRef) and entry.key.certain
                    (rekeyed if certain else undecided).append(
                        f"Region entry {entry.name}: its key switches from the AWS owned key to "
                        f"{entry.key.text if certain else 'a value known only after apply'}")
                elif is_unknown(new):
                    rekeyed.append(f"Region entry {entry.name}: its key {old} becomes a key known only after apply")
                elif new != old:
                    rekeyed.append(f"Region entry {entry.name}: its key changes from {old or 'the AWS owned key'} "
                                   f"to {new or 'the AWS owned key'}")
        lost = self._lost_keys(address, before, entries) if "delete" not in actions else []
        if "create" in actions:
            # Checkov's plan runner shows no destroyed resource; a set created while another one is
            # destroyed (a rename without a moved block) recreates the account's replication set.
            rekeyed += [f"the plan destroys {other} while it creates {address}: the replication set is recreated "
                        "under a new address (use a moved block)" for other in self._destroyed_replication_sets()]
        return PlanChange(actions, rekeyed, undecided, lost)

    def _destroyed_replication_sets(self) -> list[str]:
        return [address for address, change in self.index.changes.items()
                if change.get("type") == REPLICATION_SET and address not in self.index.planned
                and "delete" in _list(_dict(_dict(change).get("change")).get("actions"))]

    def _planned_arn(self, key_address: str) -> Any:
        arn = self._value(key_address, "arn")
        return arn if isinstance(arn, str) else Unknown(f"{key_address}.arn is known only after apply")

    def _lost_keys(self, address: str, before: dict[str, Any], entries: Any) -> list[str]:
        used = {arn: name for name, arn in before.items() if isinstance(arn, str)}
        by_arn = {arn: a for a, r in self.index.prior.items()
                  if r["type"] in KEY_TYPES and isinstance(arn := _dict(r.get("values")).get("arn"), str)}
        candidates = {by_arn[arn]: f"used by Region entry {name} before the plan" for arn, name in used.items()
                      if arn in by_arn}
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry.key, KeyRef) and entry.key.key is not None:
                candidates.setdefault(entry.key.key.name, f"used by Region entry {entry.name} after the plan")
        lost = []
        for key_address, use in candidates.items():
            change = _dict(_dict(self.index.changes.get(key_address)).get("change"))
            actions = _list(change.get("actions"))
            if "delete" in actions:
                verb = "replaces" if "create" in actions else "deletes"
                lost.append(f"the plan {verb} {key_address}, {use}: keep the key while the replication set uses it")
            elif "update" in actions and _disabled(change):
                lost.append(f"the plan disables {key_address}, {use}")
        return lost

    # Incident Manager resources and topics --------------------------------------------------------
    def _im_resource(self, address: str, resource: dict) -> IncidentManagerResource:
        values = clean(self._values(address))
        values.pop("tags_all", None)  # provider default tags belong to every resource
        name_fields = {path: value for path in NAME_FIELDS.get(resource.get("type"), ())
                       if (value := dig(values, path)) is not None}
        tags = values.get("tags")
        return IncidentManagerResource(address, resource.get("type"), name_fields,
                                       tags if isinstance(tags, dict) or is_unknown(tags) else {}, values)

    def _topics(self) -> None:
        for address, resource in self.index.planned.items():
            if resource.get("type") == SNS_TOPIC and resource.get("mode", "managed") == "managed":
                config = self._config(address)
                key = self._value(address, "kms_master_key_id")
                if is_unknown(key) and config is not None and "kms_master_key_id" in config.expressions:
                    key = "a key known only after apply"  # set in the configuration: it will hold a key
                self.model.topics[address] = SnsTopic(address, key)
        for address, resource in self.index.planned.items():
            if resource.get("type") != RESPONSE_PLAN:
                continue
            for topic in self._topics_used_by(address):
                if address not in self.model.topics[topic].used_by:
                    self.model.topics[topic].used_by.append(address)

    def _topics_used_by(self, address: str) -> list[str]:
        """Topics a response plan names: through its configuration's references (module outputs and
        count / for_each instances followed), and by ARN where the plan knows the value."""
        config = self._config(address)
        expressions = [config.expressions.get("chat_channel")] if config else []
        for template in _list(config.expressions.get("incident_template") if config else None):
            expressions += [_dict(target).get("sns_topic_arn")
                            for target in _list(_dict(template).get("notification_target"))]
        references = [reference for expression in expressions for reference in _references(expression)]
        found = self._resources_behind(references, instance_prefix(address), (SNS_TOPIC,))
        values = self._values(address)
        arns = _list(values.get("chat_channel")) + [
            _dict(target).get("sns_topic_arn") for template in _list(values.get("incident_template"))
            for target in _list(_dict(template).get("notification_target"))]
        found += [topic for arn in arns if isinstance(arn, str) for topic in self._topics_by_arn(arn)]
        return [topic for topic in dict.fromkeys(found) if topic in self.model.topics]

    def _topics_by_arn(self, arn: str) -> list[str]:
        """Planned topics with the ARN's name and Region (the account is not compared, as in HCL)."""
        parts = sns_topic_arn_parts(arn)
        if parts is None:
            return []
        region, name = parts
        return [address for address in self.model.topics if self._value(address, "name") == name
                and (self._value(address, "region") or self.provider_region(address)) == region]


def _entry_keys(values: dict) -> dict[str, Any]:
    """Region name -> key ARN (None for the AWS owned key) of a replication set's values."""
    keys = {}
    for attribute in ("region", "regions"):
        for entry in _list(values.get(attribute)):
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                arn = entry.get("kms_key_arn")
                keys[entry["name"]] = None if arn in (None, "", "DefaultKey") else arn
    return keys


def _disabled(change: dict) -> bool:
    before, after = _dict(change.get("before")), _dict(change.get("after"))
    return any(before.get(name) is not False and after.get(name) is False for name in ("is_enabled", "enabled"))
