# METADATA
# title: Terraform addresses and references
# description: |
#   Reading Terraform resource addresses and the reference strings a plan's
#   configuration lists (`module.k["a"].key_arn`, `aws_kms_key.k[0].arn`), and the
#   values Checkov leaves unrendered. Shared by the plan view; nothing here reads input.
package incident_manager.lib.terraform

import rego.v1

import data.incident_manager.lib.util

key_types := {"aws_kms_key", "aws_kms_external_key", "aws_kms_replica_key", "aws_kms_replica_external_key"}

replica_types := {"aws_kms_replica_key", "aws_kms_replica_external_key"}

# keys with imported key material
external_key_types := {"aws_kms_external_key", "aws_kms_replica_external_key"}

replication_set := "aws_ssmincidents_replication_set"

response_plan := "aws_ssmincidents_response_plan"

sns_topic := "aws_sns_topic"

im_prefixes := ["aws_ssmincidents_", "aws_ssmcontacts_"]

# The resource types whose values or configuration the plan view reads; every other resource
# of a plan is left out of its indexes (and `python -m ckv_im.opa` leaves it out of the input).
read_types := {
	"exact": key_types | {"aws_kms_key_policy", "aws_kms_alias", sns_topic, "aws_region"},
	"prefixes": im_prefixes,
}

is_read_type(resource_type) if resource_type in read_types.exact

is_read_type(resource_type) if is_im_type(resource_type)

is_im_type(resource_type) if {
	is_string(resource_type)
	some prefix in im_prefixes
	startswith(resource_type, prefix)
}

# Name-like fields per Incident Manager resource type (CKV_IM_10); tags are always read.
name_fields := {
	"aws_ssmincidents_response_plan": [
		"name", "display_name", "incident_template.title", "incident_template.summary",
		"incident_template.dedupe_string", "incident_template.incident_tags",
	],
	"aws_ssmcontacts_contact": ["alias", "display_name"],
	"aws_ssmcontacts_contact_channel": ["name"],
	"aws_ssmcontacts_rotation": ["name"],
}

# The resource type of a configuration address (`aws_kms_key.k`, `data.aws_region.current`).
type_of(address) := split(address, ".")[1] if startswith(address, "data.")

else := split(address, ".")[0]

# `module.k["a.b"].key_arn` -> ["module", "k[\"a.b\"]", "key_arn"]: dots inside index keys stay.
steps(reference) := regex.find_n(`[^.\[]+(?:\[(?:"[^"]*"|[^\]]*)\])*`, reference, -1)

# `module.k["a"].aws_kms_key.k[0]` -> `module.k.aws_kms_key.k`: the configuration's address.
config_address(address) := regex.replace(address, `\[[^\]]*\]`, "")

# `module.k["a"].aws_kms_key.x[0]` -> `module.k["a"].`: the module instance path of a resource.
instance_prefix(address) := regex.find_n(`^(?:module\.[^.\[]+(?:\[(?:"[^"]*"|[^\]]*)\])*\.)*`, address, 1)[0]

# How `<type>.<name>.<attribute>` names a key (CKV_IM_14); undefined for other attributes.
naming_of(resource_type, attribute) := _key_naming[attribute] if resource_type in key_types

naming_of("aws_kms_alias", attribute) := _alias_naming[attribute]

_key_naming := {"arn": "key_arn", "id": "key_id", "key_id": "key_id"}

_alias_naming := {
	"target_key_arn": "key_arn", "arn": "alias_arn", "name": "alias_name", "id": "alias_name",
	"target_key_id": "key_id",
}

# What a literal KMS key identifier is, and which Region it names (only ARNs carry one).
literal_key(value) := {"text": value, "naming": naming, "region": region} if {
	match := regex.find_all_string_submatch_n(_key_arn_pattern, _strip(value), 1)[0]
	naming := {"key": "key_arn", "alias": "alias_arn"}[match[4]]
	region := match[2]
} else := {"text": value, "naming": "key_id"} if {
	regex.match(`(?i)^(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`, _strip(value))
} else := {"text": value, "naming": "alias_name"} if {
	startswith(_strip(value), "alias/")
} else := {"text": value, "naming": "other"}

_key_arn_pattern := sprintf(`^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\p{Nd}{12}):(key|alias)/([^%s]+)$`, [util.python_space])

_strip(text) := util.strip(text)

# A string Checkov (and so the Python adapter) reads as an expression, not a value: an
# interpolation, or text that (white space aside) starts like a reference or is a resource
# reference. The plan view treats such a string as unresolved wherever the Python adapter
# does, so both give the same verdicts. One regular expression: this runs on every value read.
looks_unrendered(value) if {
	is_string(value)
	regex.match(_unrendered, value)
}

_identifier := `[A-Za-z_][\p{L}\p{N}_-]*`

_index := `\[\s*(?:\p{Nd}+|"[^"]*")\s*\]`

_unrendered := sprintf(`(?s)\$\{|^[%s]*(?:var|local|module|data|path|each|count|self|terraform)\.|^[%s]*aws_[\p{L}\p{N}_]+\.%s(?:%s)?(?:\.%s|%s)+[%s]*$`, [
	util.python_space, util.python_space, _identifier, _index, _identifier, _index, util.python_space,
])

# Whether a text may hold a string that looks unrendered (a cheap test before walking a document).
may_hold_unrendered(text) if regex.match(`\$\{|(?:var|local|module|data|path|each|count|self|terraform)\.|aws_`, text)
