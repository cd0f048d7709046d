# METADATA
# title: Terraform plan view
# description: |
#   A `terraform show -json` plan turned into the normalised resource view the
#   rules read (see view.rego), as the Python plan adapter (checks/ckv_im/plan_model.py)
#   builds it: planned values joined to the `configuration` expressions, key
#   references followed through aliases, module outputs and `count`/`for_each`
#   instances, provider Regions from `provider_config_key`, `provider_config` and
#   variables, Region entries joined to their configuration by name (never by
#   position). Every index is built once, by address; nothing scans the plan per
#   resource. A value that cannot be resolved is left out of its object (or, inside
#   a key policy, replaced by util.unresolved): rules give no finding on it.
package incident_manager.lib.plan

import rego.v1

import data.incident_manager.lib.terraform as tf
import data.incident_manager.lib.util

# --- the input -------------------------------------------------------------------------------------

# A plan the Python adapter reads too: format 1.x, not errored (RULES.md: Terraform
# 0.12-era plans lack what the rules need).
is_plan if {
	is_object(input)
	startswith(sprintf("%v", [input.format_version]), "1.")
	not util.truthy(object.get(input, "errored", null))
}

_section(name) := util.object_of(object.get(input, name, {}))

_configuration := _section("configuration")

# --- module trees ----------------------------------------------------------------------------------
# Rego has no recursion: trees are read level by level, to a depth no real
# configuration reaches (Terraform's own module nesting rarely passes 5).

_max_depth := 16

# The modules of a planned_values / prior_state tree (objects with `resources` and `child_modules`).
_value_modules(root) := [module | some level in _levels; some module in level] if {
	l0 := [root]
	l1 := _value_children(l0)
	l2 := _value_children(l1)
	l3 := _value_children(l2)
	l4 := _value_children(l3)
	l5 := _value_children(l4)
	l6 := _value_children(l5)
	l7 := _value_children(l6)
	l8 := _value_children(l7)
	l9 := _value_children(l8)
	l10 := _value_children(l9)
	l11 := _value_children(l10)
	l12 := _value_children(l11)
	l13 := _value_children(l12)
	l14 := _value_children(l13)
	l15 := _value_children(l14)
	l16 := _value_children(l15)
	_levels := [l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14, l15, l16]
}

_value_children(modules) := [child |
	some module in modules
	is_object(module)
	some child in util.array_of(object.get(module, "child_modules", []))
	is_object(child)
]

# The modules of the configuration, each with its prefix ("" or "module.a.module.b.").
_config_modules_list := [module | some level in _levels; some module in level] if {
	root := object.get(_configuration, "root_module", null)
	l0 := [{"prefix": "", "body": root} | is_object(root)]
	l1 := _config_children(l0)
	l2 := _config_children(l1)
	l3 := _config_children(l2)
	l4 := _config_children(l3)
	l5 := _config_children(l4)
	l6 := _config_children(l5)
	l7 := _config_children(l6)
	l8 := _config_children(l7)
	l9 := _config_children(l8)
	l10 := _config_children(l9)
	l11 := _config_children(l10)
	l12 := _config_children(l11)
	l13 := _config_children(l12)
	l14 := _config_children(l13)
	l15 := _config_children(l14)
	l16 := _config_children(l15)
	_levels := [l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14, l15, l16]
}

_config_children(modules) := [{"prefix": sprintf("%smodule.%s.", [module.prefix, name]), "body": call.module} |
	some module in modules
	some name, call in util.object_of(object.get(module.body, "module_calls", {}))
	is_object(call)
	is_object(call.module)
]

# --- indexes, built once ---------------------------------------------------------------------------
# Only resources of the types the view reads (tf.read_types) are indexed: a plan's other
# resources, usually nearly all of them, cost one type test each.

# Resources of a values tree by address (entries without a string address and type are skipped).
_resources_by_address(root) := util.by_key([[resource.address, resource] |
	some module in _value_modules(root)
	some resource in util.array_of(object.get(util.object_of(module), "resources", []))
	tf.is_read_type(resource.type)
	is_string(resource.address)
])

planned := _resources_by_address(object.get(_section("planned_values"), "root_module", null))

prior := _resources_by_address(object.get(util.object_of(object.get(_section("prior_state"), "values", {})), "root_module", null))

changes := util.by_key([[change.address, change] |
	some change in util.array_of(object.get(input, "resource_changes", []))
	tf.is_read_type(change.type)
	is_string(change.address)
])

# configuration address ("module.a.aws_kms_key.k") -> {"prefix", "body"}
config_resources := util.by_key([[concat("", [module.prefix, resource.address]), {"prefix": module.prefix, "body": resource}] |
	some module in _config_modules_list
	some resource in util.array_of(object.get(module.body, "resources", []))
	is_string(resource.address)
	tf.is_read_type(tf.type_of(resource.address))
])

# module prefix ("" or "module.a.") -> {"prefix", "body"}
config_modules := {module.prefix: module | some module in _config_modules_list}

_providers := util.object_of(object.get(_configuration, "provider_config", {}))

_variables := {name: object.get(variable, "value", null) |
	some name, variable in util.object_of(object.get(input, "variables", {}))
	is_object(variable)
}

# --- values of one resource ---------------------------------------------------------------------
# What the rules need of a resource is read from one state object, built once per resource in
# a rule body and passed down (Rego functions are not memoised): its planned values, which of
# them are known only after apply, and its configuration (null when not in the plan).

resource_state(address) := {
	"address": address,
	"values": _values(address),
	"unknown": util.object_of(object.get(_change(address), "after_unknown", {})),
	"config": object.get(config_resources, tf.config_address(address), null),
}

_values(address) := values if {
	values := planned[address].values
	is_object(values)
} else := {}

_change(address) := change if {
	change := changes[address].change
	is_object(change)
} else := {}

# A planned attribute: {"value": v} (null when not set), or {} when it is known only after
# apply or is text the Python adapter reads as an unrendered expression.
attribute(state, name) := {} if {
	state.unknown[name] == true
} else := {} if {
	tf.looks_unrendered(state.values[name])
} else := {"value": object.get(state.values, name, null)}

known(value) if "value" in object.keys(value)

# The attribute, with `fallback` in place of null.
_or_default(value, fallback) := {"value": fallback} if value.value == null

else := value

expressions(config) := expressions if {
	expressions := config.body.expressions
	is_object(expressions)
} else := {}

references(expression) := [reference |
	some reference in util.array_of(object.get(util.object_of(expression), "references", []))
	is_string(reference)
]

# --- Regions ---------------------------------------------------------------------------------------

provider_region(config) := region if {
	key := config.body.provider_config_key
	is_string(key)
	expression := util.object_of(util.object_of(_providers[key]).expressions).region
	is_object(expression)
	region := _region_value(expression)
}

_region_value(expression) := expression.constant_value if {
	is_string(expression.constant_value)
} else := regions[0] if {
	regions := [_variables[name] |
		some reference in references(expression)
		startswith(reference, "var.")
		name := substring(reference, 4, -1)
		is_string(_variables[name])
	]
}

# A resource's Region: its own `region` argument (provider v6) when set, else its provider's.
resource_region(state) := region.value if {
	region := attribute(state, "region")
	util.truthy(region.value)
} else := provider_region(state.config) if {
	known(attribute(state, "region"))
}

# --- following references --------------------------------------------------------------------------
# A node is [module instance prefix, reference]: a reference as written in that module
# instance. One hop follows a module output into the module, or an alias to its target
# key; references are followed 16 hops deep, as in the Python adapter.

_next_nodes(node) := {[instance, reference] |
	parts := tf.steps(node[1])
	count(parts) >= 3
	parts[0] == "module"
	instance := sprintf("%smodule.%s.", [node[0], parts[1]])
	some reference in _output_references(instance, parts[2])
} | {[node[0], reference] |
	parts := tf.steps(node[1])
	count(parts) >= 2
	parts[0] == "aws_kms_alias"
	alias := config_resources[tf.config_address(sprintf("%saws_kms_alias.%s", [node[0], parts[1]]))]
	some reference in references(expressions(alias).target_key_id)
}

_output_references(instance, name) := references(output.expression) if {
	output := util.object_of(util.object_of(config_modules[tf.config_address(instance)].body.outputs)[name])
} else := []

_hop(state) := state if {
	count(state.frontier) == 0
} else := {"seen": state.seen | new, "frontier": new} if {
	new := {next | some node in state.frontier; some next in _next_nodes(node)} - state.seen
}

# Every node reachable from the references of an expression in at most 16 hops (only module
# outputs and aliases lead further).
_closure(references, prefix) := {[prefix, reference] | some reference in references} if {
	not _leads_further(references)
} else := s16.seen if {
	start := {[prefix, reference] | some reference in references}
	s1 := _hop({"seen": start, "frontier": start})
	s2 := _hop(s1)
	s3 := _hop(s2)
	s4 := _hop(s3)
	s5 := _hop(s4)
	s6 := _hop(s5)
	s7 := _hop(s6)
	s8 := _hop(s7)
	s9 := _hop(s8)
	s10 := _hop(s9)
	s11 := _hop(s10)
	s12 := _hop(s11)
	s13 := _hop(s12)
	s14 := _hop(s13)
	s15 := _hop(s14)
	s16 := _hop(s15)
}

# Key resources (planned instances) an expression's references lead to.
keys_behind(references, prefix) := {address |
	some node in _closure(references, prefix)
	parts := tf.steps(node[1])
	count(parts) >= 2
	parts[0] in tf.key_types
	address := sprintf("%s%s.%s", [node[0], parts[0], parts[1]])
	planned[address]
}

_referenced_keys(state, name) := keys_behind(references(expressions(state.config)[name]), tf.instance_prefix(state.address))

_leads_further(references) if {
	some reference in references
	regex.match(`^(?:module|aws_kms_alias)\.`, reference)
}

# How an expression names its key (CKV_IM_14): the first reference that names a key or
# alias attribute decides, followed through module outputs (16 deep). Undefined when unknown.
naming(references, prefix) := _naming_step({"references": references, "prefix": prefix, "depth": 0}).naming if {
	not _leads_further(references)
} else := s17.naming if {
	s1 := _naming_step({"references": references, "prefix": prefix, "depth": 0})
	s2 := _naming_step(s1)
	s3 := _naming_step(s2)
	s4 := _naming_step(s3)
	s5 := _naming_step(s4)
	s6 := _naming_step(s5)
	s7 := _naming_step(s6)
	s8 := _naming_step(s7)
	s9 := _naming_step(s8)
	s10 := _naming_step(s9)
	s11 := _naming_step(s10)
	s12 := _naming_step(s11)
	s13 := _naming_step(s12)
	s14 := _naming_step(s13)
	s15 := _naming_step(s14)
	s16 := _naming_step(s15)
	s17 := _naming_step(s16)
}

_naming_step(state) := state if {
	state.done
} else := _naming_decision(state, [tf.steps(state.references[i]) | some i in _naming_candidates(state)])

_naming_decision(state, candidates) := {"done": true} if {
	count(candidates) == 0
} else := {"references": _output_references(instance, candidates[0][2]), "prefix": instance, "depth": state.depth + 1} if {
	candidates[0][0] == "module"
	instance := sprintf("%smodule.%s.", [state.prefix, candidates[0][1]])
} else := {"done": true, "naming": tf.naming_of(candidates[0][0], candidates[0][2])} if {
	tf.naming_of(candidates[0][0], candidates[0][2])
} else := {"done": true}

_naming_candidates(state) := [i |
	some i, reference in state.references
	parts := tf.steps(reference)
	count(parts) == 3
	_names_a_key(parts, state.depth)
]

_names_a_key(parts, depth) if {
	parts[0] == "module"
	depth < _max_depth
}

_names_a_key(parts, _) if parts[0] in tf.key_types

_names_a_key(parts, _) if parts[0] == "aws_kms_alias"

# --- keys ------------------------------------------------------------------------------------------

# managed KMS key resources of the plan
_key_addresses := {address |
	some address, resource in planned
	object.get(resource, "mode", "managed") == "managed"
	resource.type in tf.key_types
}

keys[address] := object.union(
	{
		"address": address,
		"type": resource_type,
		"origin": _origin(resource_type),
		"is_replica": resource_type in tf.replica_types,
		"policy_source": _policy_source(address),
	},
	{name: value.value | some name, value in _key_fields(state, resource_type); known(value)},
) if {
	some address in _key_addresses
	resource_type := planned[address].type
	state := resource_state(address)
}

_origin(resource_type) := "EXTERNAL" if resource_type in tf.external_key_types

else := "AWS_KMS"

_key_fields(state, resource_type) := {
	"region": _optional_region(state),
	"key_spec": _first_truthy([
		attribute(state, "customer_master_key_spec"),
		attribute(state, "key_spec"),
		{"value": "SYMMETRIC_DEFAULT"},
	]),
	"key_usage": _or_default(attribute(state, "key_usage"), "ENCRYPT_DECRYPT"),
	"custom_key_store_id": attribute(state, "custom_key_store_id"),
	"xks_key_id": attribute(state, "xks_key_id"),
	"enabled": _or_default(attribute(state, _enabled_attribute(resource_type)), true),
	"description": _text_attribute(state, "description", null),
	"tags": _text_attribute(state, "tags", {}),
	"policy": _key_policy(state),
	"primary": _primary(state, resource_type),
}

_optional_region(state) := {"value": region} if {
	region := resource_region(state)
} else := {}

_enabled_attribute("aws_kms_key") := "is_enabled"

_enabled_attribute(resource_type) := "enabled" if resource_type != "aws_kms_key"

# The first attribute that is unresolved or holds a truthy value (Python's `a or b or default`).
_first_truthy(attributes) := attributes[min([i | some i, value in attributes; not _known_falsy(value)])]

_known_falsy(value) if {
	known(value)
	not util.truthy(value.value)
}

# Text the rules scan (CKV_IM_10): kept as planned even when it looks unrendered, since
# the scanner masks interpolations itself; only values known after apply are left out.
_text_attribute(state, name, fallback) := {} if {
	state.unknown[name] == true
} else := {"value": state.values[name]} if {
	state.values[name] != null
} else := {"value": fallback}

# Replica keys: their primary key in the plan, when one key resource is referenced.
_primary(state, resource_type) := {"value": primary} if {
	resource_type in tf.replica_types
	[primary] := [key | some key in _referenced_keys(state, "primary_key_arn")]
	primary in _key_addresses
} else := {}

# --- key policies ----------------------------------------------------------------------------------

_policy_targets := [[key, address] |
	some address, resource in planned
	resource.type == "aws_kms_key_policy"
	some key in _referenced_keys(resource_state(address), "key_id")
]

# key -> the aws_kms_key_policy resources that target it (they win over the inline policy, as in AWS)
_policy_resources := util.group_by(_policy_targets)

_key_policy(state) := {} if {
	count(_policy_resources[state.address]) > 1
} else := _policy(resource_state(policy)) if {
	some policy in _policy_resources[state.address]
} else := _policy(state)

_policy_source(address) := concat(", ", sort(_policy_resources[address])) if {
	count(_policy_resources[address]) > 0
} else := sprintf("the policy argument of %s", [address])

# A resource's `policy`: {"value": null} for no policy (the AWS default key policy),
# {"value": document} for a parsed one, {} when it cannot be resolved. A key without a
# `policy` expression shows the policy as known only after apply: that is "no policy".
_policy(state) := _policy_of(state, attribute(state, "policy"))

_policy_of(state, policy) := {"value": null} if {
	not known(policy)
	state.config != null
	not "policy" in object.keys(expressions(state.config))
} else := {} if {
	not known(policy)
} else := {"value": null} if {
	policy.value in {null, ""}
} else := parse_policy(policy.value)

_max_policy_characters := 1048576

# A policy value as a document: an object as is, a JSON string (also one that kept a
# quoted HCL string's escapes) parsed; anything else is unresolved.
parse_policy(value) := {"value": clean_document(value)} if {
	is_object(value)
} else := {} if {
	is_string(value)
	count(value) > _max_policy_characters
} else := _json_policy(json.unmarshal(value)) if {
	is_string(value)
	json.is_valid(value)
} else := _json_policy(json.unmarshal(unescaped)) if {
	is_string(value)
	unescaped := strings.replace_n({`\"`: `"`, `\\`: `\`, `\n`: "\n", `\t`: "\t", `\r`: "\r"}, value)
	json.is_valid(unescaped)
} else := {}

_json_policy(document) := {"value": document} if {
	is_object(document)
	not tf.may_hold_unrendered(json.marshal(document))
	not contains(json.marshal(document), `"__`)
} else := {"value": clean_document(document)} if {
	is_object(document)
} else := {}

# The Python adapter's reading of a document: strings that look like unrendered
# expressions are unresolved, keys starting with "__" (Checkov's own) are dropped.
clean_document(document) := json.patch(document, array.concat(replacements, removals)) if {
	nodes := [[path, value] | walk(document, [path, value]); count(path) > 0]
	removals := [{"op": "remove", "path": node[0]} |
		some node in nodes
		_dropped_key(node[0][count(node[0]) - 1])
		not _passes_dropped_key(array.slice(node[0], 0, count(node[0]) - 1))
	]
	replacements := [{"op": "replace", "path": node[0], "value": util.unresolved_template(node[1])} |
		some node in nodes
		tf.looks_unrendered(node[1])
		not _passes_dropped_key(node[0])
	]
}

_dropped_key(key) if {
	is_string(key)
	startswith(key, "__")
}

_passes_dropped_key(path) if {
	some key in path
	_dropped_key(key)
}

# --- replication sets ------------------------------------------------------------------------------

replication_sets[address] := object.union(
	{"address": address, "type": tf.replication_set, "plan": _plan_change(state, object.get(entries, "value", null))},
	{name: value.value | some name, value in {"entries": entries, "provider_region": _optional_provider_region(state)}; known(value)},
) if {
	some address, resource in planned
	resource.type == tf.replication_set
	state := resource_state(address)
	entries := _entries(state)
}

_optional_provider_region(state) := {"value": region} if {
	region := provider_region(state.config)
} else := {}

_region_attributes := ["region", "regions"]

# The Region entries (v5 `region` and v6 `regions` blocks), or {} when the blocks themselves are
# known only after apply.
_entries(state) := {} if {
	some name in _region_attributes
	state.unknown[name] == true
} else := {"value": [entry |
	prefix := tf.instance_prefix(state.address)
	configs := _entry_configs(state.config)
	some name in _region_attributes
	some position, planned_entry in util.array_of(state.values[name])
	is_object(planned_entry)
	entry := _entry(planned_entry, configs, _key_known_after_apply(state, name, position), prefix)
]}

_entry(planned_entry, configs, unknown, prefix) := object.union({"name": planned_entry.name}, key) if {
	is_string(planned_entry.name)
	key := _entry_key(planned_entry, object.get(configs, planned_entry.name, null), unknown, prefix)
} else := {}

_key_known_after_apply(state, name, position) := true if {
	util.array_of(state.unknown[name])[position].kms_key_arn == true
} else := false

# Configuration blocks of the Region entries by Region name: a literal name, or a
# `data "aws_region"` name (the Region of that data source's provider).
_entry_configs(config) := util.by_key([[name, block] |
	some attribute_name in _region_attributes
	some block in util.array_of(expressions(config)[attribute_name])
	is_object(block)
	name := _configured_name(config.prefix, block)
])

_configured_name(_, block) := block.name.constant_value if {
	is_string(block.name.constant_value)
}

_configured_name(prefix, block) := _data_region(sprintf("%sdata.aws_region.%s", [prefix, sources[0]])) if {
	not _literal_name(block)
	refs := references(block.name)
	count(refs) > 0
	every reference in refs {
		_data_region_reference(reference)
	}
	sources := sort({tf.steps(reference)[2] | some reference in refs})
	count(sources) == 1
}

# (a helper, not `not is_string(block.name.constant_value)`: a call on an undefined reference is
# undefined, not false, so its negation would not hold)
_literal_name(block) if is_string(block.name.constant_value)

_data_region_reference(reference) if {
	parts := tf.steps(reference)
	parts[0] == "data"
	parts[1] == "aws_region"
	count(parts) == 3
}

_data_region_reference(reference) if {
	parts := tf.steps(reference)
	parts[0] == "data"
	parts[1] == "aws_region"
	count(parts) == 4
	parts[3] in {"name", "region"}
}

# A `data "aws_region"` is no lookup: its Region is its own `region` argument (provider v6)
# or its provider's.
_data_region(address) := _own_or_provider_region(config_resources[tf.config_address(address)])

_own_or_provider_region(config) := region if {
	region := expressions(config).region.constant_value
	is_string(region)
	region != ""
} else := provider_region(config)

# An entry's key: {"key": null} for the AWS owned key, {"key": reference} for a key, {} when it
# cannot be resolved. A reference is {"text", "naming"?, "region"?, "key"?}: how the entry names
# the key (absent: cannot be told), the key's Region, and the key resource in the plan.
_entry_key(planned_entry, config, unknown, prefix) := {"key": null} if {
	is_object(config)
	not "kms_key_arn" in object.keys(config)
} else := _entry_key_from(planned_entry, config, unknown, prefix, refs, keys_behind(refs, prefix)) if {
	refs := _config_references(config)
}

_config_references(config) := references(config.kms_key_arn) if is_object(config)

else := []

_entry_key_from(planned_entry, config, unknown, prefix, refs, found) := _known_entry_key(planned_entry, refs, prefix, found) if {
	not unknown
} else := {"key": object.union_n([{"text": refs[0], "key": key}, _naming_of(refs, prefix), _key_region(key)])} if {
	# the ARN is known only after apply: the key resource the reference leads to, if exactly one
	[key] := [key | some key in found]
	keys[key]
} else := {} if {
	config == null
} else := {"key": object.union({"text": _first_or(refs, "an expression")}, _naming_of(refs, prefix))}

# The key ARN is known at plan time (a literal, or a key that already exists).
_known_entry_key(planned_entry, refs, prefix, found) := {"key": null} if {
	object.get(planned_entry, "kms_key_arn", null) in {null, "", "DefaultKey"}
} else := {} if {
	not is_string(planned_entry.kms_key_arn)
} else := {"key": object.union_n([literal, _naming_of(refs, prefix), _single_key(found)])} if {
	# a reference known at plan time (an existing key): its form, not the ARN, decides the naming
	literal := object.remove(tf.literal_key(planned_entry.kms_key_arn), {"naming" | count(refs) > 0})
}

_key_region(key) := {"region": keys[key].region} if {
	keys[key].region
} else := {}

_first_or(items, fallback) := items[0] if count(items) > 0

else := fallback

_naming_of(refs, prefix) := {"naming": naming(refs, prefix)} if count(refs) > 0

else := {}

_single_key(found) := {"key": key} if {
	[key] := [key | some key in found]
	keys[key]
} else := {}

# --- what the plan does to a replication set (CKV_IM_15, CKV_IM_16) ---------------------------------

_actions(change) := [action | some action in util.array_of(object.get(change, "actions", [])); is_string(action)]

# entries: the set's Region entries, or null when they are not resolved
_plan_change(state, entries) := {
	"actions": actions,
	"rekeyed": array.concat(_rekeyed(entries, actions, before), _recreated(state.address, actions)),
	"undecided": _undecided(entries, actions, before),
	"lost_keys": _lost_keys(entries, actions, before),
} if {
	change := _change(state.address)
	actions := _actions(change)
	before := _entry_keys(util.object_of(object.get(change, "before", {})))
}

# Region name -> key ARN (null for the AWS owned key) of a replication set's values.
_entry_keys(values) := util.by_key([[entry.name, _arn_or_owned(object.get(entry, "kms_key_arn", null))] |
	some name in _region_attributes
	some entry in util.array_of(object.get(values, name, []))
	is_object(entry)
	is_string(entry.name)
])

_arn_or_owned(arn) := null if arn in {null, "", "DefaultKey"}

else := arn

# Entries of an updated set whose Region existed before (adding a Region is no re-key).
_updated_entries(entries, actions, before) := [entry |
	"update" in actions
	some entry in util.array_of(entries)
	is_string(entry.name)
	entry.name in object.keys(before)
]

_rekeyed(entries, actions, before) := [line |
	some entry in _updated_entries(entries, actions, before)
	line := _rekey_line(entry, before[entry.name], _new_key(entry))
]

_undecided(entries, actions, before) := [line |
	some entry in _updated_entries(entries, actions, before)
	not known(_new_key(entry))
	before[entry.name] == null
	not _key_reference(entry)
	line := sprintf("Region entry %s: its key switches from the AWS owned key to a value known only after apply", [entry.name])
]

_key_reference(entry) if is_object(entry.key)

# The ARN an entry's key has after the plan: {"value": arn or null} or {} when not known yet.
_new_key(entry) := {"value": null} if {
	"key" in object.keys(entry)
	entry.key == null
} else := {"value": entry.key.text} if {
	is_string(entry.key.region)
	not entry.key.key
} else := _planned_arn(entry.key.key) if {
	entry.key.key
} else := {}

_planned_arn(key) := {"value": arn.value} if {
	arn := attribute(resource_state(key), "arn")
	is_string(arn.value)
} else := {}

_rekey_line(entry, old, new) := sprintf("Region entry %s: its key switches from the AWS owned key to %s", [entry.name, entry.key.text]) if {
	not known(new)
	old == null
	is_object(entry.key) # a reference to a key is never DefaultKey: a switch to a customer managed key
} else := sprintf("Region entry %s: its key %v becomes a key known only after apply", [entry.name, old]) if {
	not known(new)
	old != null
} else := sprintf("Region entry %s: its key changes from %s to %s", [entry.name, _key_text(old), _key_text(new.value)]) if {
	known(new)
	new.value != old
}

_key_text(arn) := "the AWS owned key" if not util.truthy(arn)

else := sprintf("%v", [arn])

# Checkov's plan runner shows no destroyed resource: a set created while another one is destroyed
# (a rename without a moved block) recreates the account's replication set.
_recreated(address, actions) := [sprintf("the plan destroys %s while it creates %s: the replication set is recreated under a new address (use a moved block)", [other, address]) |
	"create" in actions
	some other in sort(object.keys(destroyed_replication_sets))
]

# Replication sets the plan destroys outright: in resource_changes, not in planned_values.
destroyed_replication_sets[address] := {"address": address, "type": tf.replication_set, "plan": {"actions": actions}} if {
	some address, change in changes
	change.type == tf.replication_set
	not planned[address]
	actions := util.array_of(object.get(util.object_of(change.change), "actions", []))
	"delete" in actions
}

# Key addresses of the prior state by their ARN.
_prior_keys_by_arn := util.by_key([[resource.values.arn, key] |
	some key, resource in prior
	resource.type in tf.key_types
	is_string(resource.values.arn)
])

# Keys a Region entry uses before or after the plan that the plan deletes, replaces or disables.
_lost_keys(entries, actions, before) := [] if {
	"delete" in actions
} else := [line |
	some key, use in _used_keys(entries, before)
	line := _lost_key_line(key, use)
]

_used_keys(entries, before) := object.union(after, used_before) if {
	used_before := util.by_key([[_prior_keys_by_arn[arn], sprintf("used by Region entry %s before the plan", [name])] |
		some name, arn in before
		is_string(arn)
		_prior_keys_by_arn[arn]
	])
	# the first entry wins, as Python's setdefault does
	after := util.by_key(array.reverse([[entry.key.key, sprintf("used by Region entry %s after the plan", [entry.name])] |
		some entry in util.array_of(entries)
		entry.key.key
	]))
}

_lost_key_line(key, use) := sprintf("the plan %s %s, %s: keep the key while the replication set uses it", [_verb(actions), key, use]) if {
	actions := util.array_of(object.get(_change(key), "actions", []))
	"delete" in actions
} else := sprintf("the plan disables %s, %s", [key, use]) if {
	"update" in util.array_of(object.get(_change(key), "actions", []))
	_disabled(_change(key))
}

_verb(actions) := "replaces" if "create" in actions

else := "deletes"

_disabled(change) if {
	some name in ["is_enabled", "enabled"]
	object.get(util.object_of(object.get(change, "before", {})), name, null) != false
	object.get(util.object_of(object.get(change, "after", {})), name, null) == false
}

# --- Incident Manager resources (CKV_IM_10, CKV_IM_11) ----------------------------------------------

im_resources[address] := {
	"address": address,
	"type": resource.type,
	"name_fields": {path: value |
		some path in object.get(tf.name_fields, resource.type, [])
		value := _name_field(values, path)
		value != null
	},
	"tags": _tags(values),
	"config": values,
} if {
	some address, resource in planned
	tf.is_im_type(resource.type)
	values := object.remove(_without_dropped_keys(_values(address)), ["tags_all"]) # provider default tags belong to every resource
}

_tags(values) := values.tags if is_object(values.tags)

else := values.tags if tf.looks_unrendered(values.tags)

else := {}

_without_dropped_keys(value) := value if {
	not contains(json.marshal(value), `"__`)
} else := json.patch(value, [{"op": "remove", "path": path} |
	walk(value, [path, _])
	count(path) > 0
	_dropped_key(path[count(path) - 1])
	not _passes_dropped_key(array.slice(path, 0, count(path) - 1))
])

# A name field of the values: `name`, or `incident_template.title` inside a block (which
# Terraform writes as a one-element list); a one-element list around the value is unwrapped.
_name_field(values, path) := _unwrap(values[path]) if not contains(path, ".")

_name_field(values, path) := _unwrap(_unwrap(values[first])[second]) if [first, second] := split(path, ".")

_unwrap(value) := value[0] if {
	is_array(value)
	count(value) == 1
} else := value

# --- SNS topics a response plan notifies through (CKV_IM_12) ----------------------------------------

topics[address] := object.union(
	{"address": address, "used_by": object.get(_topic_users, address, set())},
	{"kms_master_key_id": key.value | key := _topic_key(resource_state(address)); known(key)},
) if {
	some address, resource in planned
	resource.type == tf.sns_topic
}

_topic_key(state) := {"value": "a key known only after apply"} if {
	not known(attribute(state, "kms_master_key_id"))
	"kms_master_key_id" in object.keys(expressions(state.config))
} else := attribute(state, "kms_master_key_id")

# topic -> the response plans that notify through it
_topic_users := util.group_by([link | some link in _topic_links])

_response_plans := {address | some address, resource in planned; resource.type == tf.response_plan}

# [topic, response plan] pairs: through configuration references (followed through module
# outputs; a reference to one instance of a count / for_each topic links that instance), and
# through ARNs the plan already knows (an existing topic, or a literal ARN of a topic in the plan).
_topic_links contains [topic, plan] if {
	some plan in _response_plans
	state := resource_state(plan)
	some expression in _topic_expressions(state.config)
	some reference in _referenced_topics(references(expression), tf.instance_prefix(plan))
	some topic in _topic_instances(reference)
}

_topic_links contains [topic, plan] if {
	some plan in _response_plans
	some arn in _planned_topic_arns(_values(plan))
	some topic in _topics_by_arn[arn]
}

_topic_expressions(config) := array.concat(
	[object.get(expressions(config), "chat_channel", null)],
	[target.sns_topic_arn |
		some template in util.array_of(object.get(expressions(config), "incident_template", []))
		some target in util.array_of(object.get(util.object_of(template), "notification_target", []))
		is_object(target)
	],
)

# {"instance": address} for a reference to one instance, {"base": address} for a reference
# to the resource alone (every instance) unless the same expression names single instances
# of it, which Terraform lists with it.
_referenced_topics(refs, prefix) := {reference |
	found := {[node[0], parts[1]] |
		some node in _closure(refs, prefix)
		parts := tf.steps(node[1])
		count(parts) >= 2
		parts[0] == tf.sns_topic
	}
	indexed := {[instance_prefix, regex.replace(name, `\[.*$`, "")] | some [instance_prefix, name] in found; contains(name, "[")}
	some [instance_prefix, name] in found
	reference := _topic_reference(instance_prefix, name, indexed)
}

_topic_reference(prefix, name, _) := {"instance": sprintf("%saws_sns_topic.%s", [prefix, name])} if {
	contains(name, "[")
}

_topic_reference(prefix, name, indexed) := {"base": sprintf("%saws_sns_topic.%s", [prefix, name])} if {
	not contains(name, "[")
	not [prefix, name] in indexed
}

_topic_instances(reference) := {reference.instance} if {
	planned[reference.instance]
} else := {reference.base} if {
	planned[reference.base] # a topic without count or for_each
} else := object.get(_topic_groups, reference.base, set())

# address of a count / for_each topic without its instance key -> the instances
_topic_groups := util.group_by([[regex.replace(address, `\[[^\]]*\]$`, ""), address] |
	some address, resource in planned
	resource.type == tf.sns_topic
	endswith(address, "]")
])

# Topic ARNs the plan knows in a response plan's planned values.
_planned_topic_arns(values) := {arn |
	some arn in array.concat(
		util.array_of(object.get(values, "chat_channel", [])),
		[target.sns_topic_arn |
			some template in util.array_of(object.get(values, "incident_template", []))
			some target in util.array_of(object.get(util.object_of(template), "notification_target", []))
			is_object(target)
		],
	)
	is_string(arn)
	startswith(arn, "arn:")
}

# ARN -> topics: a topic whose planned `arn` is known, or whose name and Region a literal ARN names
_topics_by_arn[arn] := topics if {
	some arn in _all_planned_topic_arns
	topics := {topic | some topic, identity in _topic_identities; arn in identity}
}

_all_planned_topic_arns := {arn | some plan in _response_plans; some arn in _planned_topic_arns(_values(plan))}

# topic -> the ARNs that name it: its known `arn`, and every account's ARN for its name and Region
_topic_identities[topic] := identities if {
	count(_all_planned_topic_arns) > 0
	some topic, resource in planned
	resource.type == tf.sns_topic
	state := resource_state(topic)
	identities := {arn | some arn in _all_planned_topic_arns; _names_topic(state, arn)}
}

_names_topic(state, arn) if attribute(state, "arn").value == arn

_names_topic(state, arn) if {
	parts := regex.find_all_string_submatch_n(`^arn:aws[a-z-]*:sns:([a-z0-9-]+):\p{Nd}{12}:(.+)$`, arn, 1)[0]
	attribute(state, "name").value == parts[2]
	resource_region(state) == parts[1]
}
